// Reading and writing an image's labels through the engine's writers (VOC PNG, labelme) and ownership checks.
#include "controllers/label_store.h"

#include "image_conversions.h"

#include "invseg/exports.h"
#include "invseg/image.h"
#include "invseg/label_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPolygonF>
#include <QSaveFile>
#include <QTextStream>

#include <fstream>

namespace invseg::ui {
namespace {

std::string local(const QString& path)
{
    return QFile::encodeName(path).toStdString();
}

/// Rasterises a labelme file's polygons and rectangles (in file order, as labelme does) into a label map.
bool readLabelme(const QString& path, StoredLabels* out, QString* error)
{
    std::ifstream in(local(path));
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("shapes") || !j["shapes"].is_array()) {
        *error = QObject::tr("%1 is not a labelme file").arg(path);
        return false;
    }
    const int w = j.value("imageWidth", 0), h = j.value("imageHeight", 0);
    if (w <= 0 || h <= 0 || int64_t(w) * h > kDefaultMaxPixels) {
        *error = QObject::tr("%1: missing or bad imageWidth / imageHeight").arg(path);
        return false;
    }
    QStringList names{QStringLiteral("background")};
    // Painted as grey levels on an RGB image without antialiasing: the red channel is the label.
    QImage canvas(w, h, QImage::Format_RGB32);
    canvas.fill(Qt::black);
    QPainter p(&canvas);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    for (const auto& shape : j["shapes"]) {
        if (!shape.is_object() || !shape.contains("points") || !shape["points"].is_array())
            continue;
        const QString label = QString::fromStdString(shape.value("label", std::string()));
        const std::string type = shape.value("shape_type", std::string("polygon"));
        QPolygonF poly;
        for (const auto& pt : shape["points"])
            if (pt.is_array() && pt.size() == 2 && pt[0].is_number() && pt[1].is_number())
                poly << QPointF(pt[0].get<double>() + 0.5, pt[1].get<double>() + 0.5);
        if (label.isEmpty() || (type == "polygon" && poly.size() < 3) || (type == "rectangle" && poly.size() != 2) ||
            (type != "polygon" && type != "rectangle"))
            continue;
        int index = int(names.indexOf(label));
        if (index < 0) {
            if (names.size() >= 255)
                continue;
            names << label;
            index = int(names.size()) - 1;
        }
        p.setBrush(QColor(index, index, index));
        if (type == "rectangle")
            p.drawRect(QRectF(poly[0], poly[1]).normalized());
        else
            p.drawPolygon(poly);
    }
    p.end();
    QImage labels = blankLabelImage(QSize(w, h));
    for (int y = 0; y < h; ++y) {
        const QRgb* src = reinterpret_cast<const QRgb*>(canvas.constScanLine(y));
        uchar* dst = labels.scanLine(y);
        for (int x = 0; x < w; ++x)
            dst[x] = static_cast<uchar>(qRed(src[x]));
    }
    out->labels = labels;
    out->names = names;
    out->edited = !j.contains("invseg") || !j["invseg"].is_object() || j["invseg"].value("edited", true);
    out->source = path;
    return true;
}

bool writeText(const QString& path, const QString& text, QString* error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(text.toUtf8()) < 0 || !f.commit()) {
        *error = QObject::tr("Cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

bool LabelStore::readNames(const QString& path, QStringList* names)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    names->clear();
    QTextStream in(&f);
    while (!in.atEnd())
        *names << in.readLine().trimmed();
    while (!names->isEmpty() && names->last().isEmpty())
        names->removeLast();
    return true;
}

bool LabelStore::load(const QString& imagePath, StoredLabels* out, QString* error)
{
    const LabelFiles files = labelFilesFor(local(imagePath));
    const QString png = QFile::decodeName(files.labelPng.c_str());
    const QString json = QFile::decodeName(files.labelmeJson.c_str());
    if (QFileInfo::exists(png)) {
        try {
            out->labels = toLabelImage(loadLabelMap(files.labelPng));
        } catch (const std::exception& e) {
            *error = QString::fromStdString(e.what());
            return false;
        }
        out->names.clear();
        readNames(QFile::decodeName(files.classesTxt.c_str()), &out->names);
        out->edited = true;
        if (QFileInfo::exists(json) && isOwnLabelmeFile(files.labelmeJson)) {
            std::ifstream in(files.labelmeJson);
            const auto j = nlohmann::json::parse(in, nullptr, false);
            if (!j.is_discarded() && j.contains("invseg") && j["invseg"].is_object())
                out->edited = j["invseg"].value("edited", true);
        }
        out->source = png;
        return true;
    }
    if (QFileInfo::exists(json))
        return readLabelme(json, out, error);
    return false;
}

bool LabelStore::save(const LabelSaveRequest& r, QStringList* notes, QString* error)
{
    const LabelFiles files = labelFilesFor(local(r.imagePath), local(r.outDir));
    const std::set<std::string> inputs{normalisedPath(local(r.imagePath))};
    std::vector<std::string> names;
    for (const auto& n : r.names)
        names.push_back(n.toStdString());
    const QFileInfo image(r.imagePath);
    const QDir outDir(r.outDir.isEmpty() ? image.absolutePath() : r.outDir);
    try {
        checkReplaceable(files.labelPng, inputs);
        checkReplaceable(files.classesTxt, inputs);
        const LabelMap labels = toLabelMap(r.labels);
        writeVocPng(files.labelPng, labels, names);
        bool foreignJson = false;
        try {
            checkReplaceable(files.labelmeJson, inputs);
        } catch (const std::exception&) {
            foreignJson = true;
        }
        if (foreignJson) {
            *notes << QObject::tr("%1 was not written by InvSeg Studio and was left as it is")
                          .arg(QFile::decodeName(files.labelmeJson.c_str()));
        } else {
            auto labelme = toLabelme(labels, names, local(outDir.relativeFilePath(image.absoluteFilePath())),
                                     r.image.width(), r.image.height());
            markOwnLabelme(labelme, r.edited);
            writeJsonAtomic(files.labelmeJson, labelme);
        }
        if (r.withOverlayAndCoco) {
            checkReplaceable(files.overlayPng, inputs);
            std::vector<std::array<uint8_t, 3>> palette = vocPalette();
            for (int i = 0; i < r.colors.size() && i < 255; ++i)
                palette[size_t(i)] = {uint8_t(r.colors[i].red()), uint8_t(r.colors[i].green()),
                                      uint8_t(r.colors[i].blue())};
            saveRgbPng(files.overlayPng,
                       colorOverlay(toEngineImage(r.image), labels, float(r.overlayOpacity), palette));
            const std::string coco =
                outDir.filePath(image.completeBaseName() + QStringLiteral(".coco.json")).toStdString();
            checkReplaceable(coco, inputs);
            writeJsonAtomic(coco, toCoco({CocoImage{local(image.fileName()), &labels}}, names));
        }
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    // The folder's project class list, when it has none yet (an existing one is never replaced).
    const QString classes = QFile::decodeName(folderClassesPath(local(outDir.absolutePath())).c_str());
    if (!QFileInfo::exists(classes) && !writeText(classes, r.names.join(QLatin1Char('\n')) + QLatin1Char('\n'), error))
        *notes << *error;
    return true;
}

QVector<int> LabelStore::lutByName(const QStringList& from, const QStringList& to)
{
    QVector<int> lut(256, -1);
    for (int i = 0; i < from.size() && i < 255; ++i)
        lut[i] = int(to.indexOf(from[i]));
    lut[0] = 0;
    lut[255] = 255;
    return lut;
}

void LabelStore::applyLut(QImage& labels, const QVector<int>& lut)
{
    for (int y = 0; y < labels.height(); ++y) {
        uchar* row = labels.scanLine(y);
        for (int x = 0; x < labels.width(); ++x)
            row[x] = static_cast<uchar>(std::max(0, lut.value(row[x], row[x])));
    }
}

} // namespace invseg::ui
