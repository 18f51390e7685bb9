// The toy world's public entry points: class and attribute names, option checks, generateScene.
#include "invseg/toy_world.h"

#include "invseg/error.h"
#include "toy/captions.h"
#include "toy/scene_layout.h"
#include "toy/scene_painter.h"

namespace invseg::toy {

const std::vector<std::string>& classNames()
{
    static const std::vector<std::string> kNames = {"background", "sky", "wall", "grass", "sand", "water", "road",
                                                    "ball",       "box", "tree", "house", "car",  "star",  "boat"};
    return kNames;
}

const std::vector<std::string>& classTerms(int classId)
{
    // For things the second term is the plural: captions count things with it ("two red balls").
    static const std::vector<std::vector<std::string>> kTerms = {
        {"background"},
        {"sky", "skies"},
        {"wall", "walls"},
        {"grass", "grassy", "lawn", "meadow"},
        {"sand", "sandy", "beach"},
        {"water", "sea", "lake", "river"},
        {"road", "roads", "street"},
        {"ball", "balls"},
        {"box", "boxes", "crate"},
        {"tree", "trees"},
        {"house", "houses", "cottage"},
        {"car", "cars"},
        {"star", "stars"},
        {"boat", "boats", "sailboat"},
    };
    if (classId < 0 || classId >= kNumClasses)
        throw Error(ErrorKind::InvalidInput, "toy class id " + std::to_string(classId) + " is out of range 0.." +
                                                 std::to_string(kNumClasses - 1));
    return kTerms[static_cast<size_t>(classId)];
}

const std::vector<std::string>& colourNames()
{
    static const std::vector<std::string> kColours = {"red",    "orange", "yellow", "green", "blue",
                                                      "purple", "pink",   "white",  "black", "brown"};
    return kColours;
}

const char* sizeName(ThingSize size)
{
    switch (size) {
    case ThingSize::Tiny: return "tiny";
    case ThingSize::Small: return "small";
    case ThingSize::Medium: return "medium";
    case ThingSize::Large: return "large";
    case ThingSize::Huge: return "huge";
    }
    return "medium";
}

const char* textureName(Texture texture)
{
    switch (texture) {
    case Texture::Plain: return "plain";
    case Texture::Striped: return "striped";
    case Texture::Dotted: return "dotted";
    case Texture::Shaded: return "shaded";
    }
    return "plain";
}

Scene generateScene(uint64_t seed, const SceneOptions& options)
{
    if (options.size < kMinSceneSize || options.size > kMaxSceneSize)
        throw Error(ErrorKind::InvalidInput, "toy scene size " + std::to_string(options.size) + " is out of range " +
                                                 std::to_string(kMinSceneSize) + ".." + std::to_string(kMaxSceneSize));
    if (options.minThings < 1 || options.minThings > kMaxThingsLimit)
        throw Error(ErrorKind::InvalidInput, "toy minThings " + std::to_string(options.minThings) +
                                                 " is out of range 1.." + std::to_string(kMaxThingsLimit));
    if (options.maxThings < options.minThings || options.maxThings > kMaxThingsLimit)
        throw Error(ErrorKind::InvalidInput, "toy maxThings " + std::to_string(options.maxThings) +
                                                 " is out of range " + std::to_string(options.minThings) + ".." +
                                                 std::to_string(kMaxThingsLimit) + " (minThings.." +
                                                 std::to_string(kMaxThingsLimit) + ")");
    const SceneLayout layout = planScene(seed, options);
    Scene scene;
    scene.seed = seed;
    paintScene(layout, options.size, seed, scene);
    scene.caption = writeCaption(layout, scene, seed);
    return scene;
}

Scene generateScene(uint64_t seed, int size)
{
    SceneOptions options;
    options.size = size;
    return generateScene(seed, options);
}

} // namespace invseg::toy
