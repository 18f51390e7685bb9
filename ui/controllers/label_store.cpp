// Reading an image's labels back, and writing them through the engine's one writer of an image's outputs.
#include "controllers/label_store.h"

#include "image_conversions.h"

#include "invseg/exports.h"
#include "invseg/image.h"
#include "invseg/image_outputs.h"
#include "invseg/label_files.h"

#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPolygonF>
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
        // What our report or labelme mark says; labels without either count as the user's work.
        const EditedMark mark = readEditedMark(local(imagePath));
        out->edited = mark.known ? mark.edited : true;
        out->source = png;
        return true;
    }
    if (QFileInfo::exists(json))
        return readLabelme(json, out, error);
    return false;
}

bool LabelStore::save(const LabelSaveRequest& r, QStringList* notes, QString* error, LabelSaveResult* result)
{
    try {
        const Image image = toEngineImage(r.image);
        const LabelMap labels = toLabelMap(r.labels);
        ImageOutputRequest request;
        request.imagePath = local(r.imagePath);
        request.outDir = local(r.outDir);
        request.image = &image;
        request.labels = &labels;
        for (const auto& n : r.names)
            request.classNames.push_back(n.toStdString());
        request.voc = true;
        request.labelme = true;
        request.overlay = r.withOverlay;
        request.overlayAlpha = float(r.overlayOpacity);
        for (int i = 0; i < r.colors.size() && i < r.names.size(); ++i)
            request.colors.push_back(
                {uint8_t(r.colors[i].red()), uint8_t(r.colors[i].green()), uint8_t(r.colors[i].blue())});
        if (!request.colors.empty())
            request.colors.resize(request.classNames.size(), vocColor(0)); // a class without a colour: none
        if (!r.runReport.isEmpty()) {
            request.runReport = nlohmann::json::parse(r.runReport.toStdString(), nullptr, false);
            if (request.runReport.is_discarded())
                request.runReport = nullptr;
        }
        request.edited = r.edited;
        // The window's labels are what the user sees (read back from these very files when it opened the image):
        // saving them replaces hand edits by hand edits, and a labelme file of someone else's is kept.
        request.replaceEdited = true;
        request.foreignLabelme = ForeignLabelme::Keep;
        request.createFolderClasses = true;
        const ImageOutputResult written = writeImageOutputs(request);
        for (const auto& path : written.keptForeign)
            *notes << QObject::tr("%1 was not written by InvSeg Studio and was left as it is")
                          .arg(QFile::decodeName(path.c_str()));
        if (!written.folderClassesError.empty())
            *notes << QString::fromStdString(written.folderClassesError);
        if (result) {
            result->written.clear();
            for (const auto& path : written.written)
                result->written << QFile::decodeName(path.c_str());
            result->classNames = written.classNames;
            result->labels = written.labels;
        }
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
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
