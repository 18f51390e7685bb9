// invseg_peer_export: the engine's labelme and COCO exporters applied to a given label PNG, so that the peer tests can
// check them on clean synthetic masks as well as on what `invseg segment` wrote.
//   invseg_peer_export LABELS.png CLASSES.txt OUT_STEM IMAGE_NAME
// writes OUT_STEM.labelme.json (imagePath IMAGE_NAME; the exporter's default simplification, as the CLI and the app
// write it) and OUT_STEM.coco.json (one image, file_name IMAGE_NAME).
#include "invseg/exports.h"
#include "invseg/image.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    if (argc != 5) {
        std::cerr << "usage: invseg_peer_export LABELS.png CLASSES.txt OUT_STEM IMAGE_NAME\n";
        return 2;
    }
    try {
        const invseg::LabelMap labels = invseg::loadLabelMap(argv[1]);
        std::vector<std::string> classes;
        std::ifstream in(argv[2]);
        for (std::string line; std::getline(in, line);)
            classes.push_back(line);
        if (classes.empty())
            throw std::runtime_error(std::string("no class names in ") + argv[2]);
        const std::string stem = argv[3], image = argv[4];
        invseg::writeJsonAtomic(stem + ".labelme.json",
                                invseg::toLabelme(labels, classes, image, labels.width, labels.height));
        invseg::writeJsonAtomic(stem + ".coco.json", invseg::toCoco({{image, &labels}}, classes));
    } catch (const std::exception& e) {
        std::cerr << "invseg_peer_export: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
