// Dataset-level confusion matrix, IoU / mIoU / accuracies, and their JSON and Markdown reports.
#include "invseg/error.h"
#include "invseg/evaluation.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

namespace invseg {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void checkMap(const LabelMap& m, const char* what)
{
    if (m.empty())
        throw Error(ErrorKind::InvalidInput, std::string("confusion matrix: empty ") + what + " map (" +
                                                 std::to_string(m.width) + "x" + std::to_string(m.height) + ")");
    if (m.labels.size() != size_t(m.width) * size_t(m.height))
        throw Error(ErrorKind::InvalidInput, std::string("confusion matrix: ") + what + " map buffer holds " +
                                                 std::to_string(m.labels.size()) + " labels, " +
                                                 std::to_string(m.width) + "x" + std::to_string(m.height) + " needs " +
                                                 std::to_string(size_t(m.width) * size_t(m.height)));
}

/// JSON numbers: rounded to 4 decimals so reports diff cleanly; NaN becomes null.
nlohmann::json percentJson(double v)
{
    if (std::isnan(v))
        return nullptr;
    return std::round(v * 1e4) / 1e4;
}

std::string fixed2(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string escapeCell(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

ConfusionMatrix::ConfusionMatrix(int numClasses) : m_numClasses(numClasses)
{
    if (numClasses < 1 || numClasses > 255)
        throw Error(ErrorKind::InvalidInput, "confusion matrix: " + std::to_string(numClasses) +
                                                 " classes; 1 to 255 are possible (255 is the ignore label)");
    m_counts.assign(size_t(numClasses) * size_t(numClasses + 1), 0);
}

void ConfusionMatrix::add(const LabelMap& prediction, const LabelMap& groundTruth)
{
    checkMap(prediction, "prediction");
    checkMap(groundTruth, "ground-truth");
    if (prediction.width != groundTruth.width || prediction.height != groundTruth.height)
        throw Error(ErrorKind::InvalidInput, "confusion matrix: prediction is " + std::to_string(prediction.width) +
                                                 "x" + std::to_string(prediction.height) + " but the ground truth is " +
                                                 std::to_string(groundTruth.width) + "x" +
                                                 std::to_string(groundTruth.height) +
                                                 "; resize the prediction (nearest) to the ground truth first");
    const size_t n = size_t(m_numClasses);
    const size_t stride = n + 1;
    // Histogram with a 256 × 256 table first: no branches on class ranges in the pixel loop.
    std::vector<uint64_t> hist(256 * 256, 0);
    const uint8_t* g = groundTruth.labels.data();
    const uint8_t* p = prediction.labels.data();
    const size_t count = groundTruth.labels.size();
    for (size_t i = 0; i < count; ++i)
        ++hist[size_t(g[i]) * 256 + p[i]];
    for (size_t gt = 0; gt < 256; ++gt) {
        for (size_t pr = 0; pr < 256; ++pr) {
            const uint64_t c = hist[gt * 256 + pr];
            if (c == 0)
                continue;
            if (gt >= n) {
                m_ignored += c;
                continue;
            }
            m_counted += c;
            if (pr >= n) {
                m_invalidPredictions += c;
                m_counts[gt * stride + n] += c;
            } else {
                m_counts[gt * stride + pr] += c;
            }
        }
    }
    ++m_images;
}

void ConfusionMatrix::merge(const ConfusionMatrix& other)
{
    if (other.m_numClasses != m_numClasses)
        throw Error(ErrorKind::InvalidInput, "confusion matrix: cannot merge " + std::to_string(other.m_numClasses) +
                                                 " classes into " + std::to_string(m_numClasses));
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_images += other.m_images;
    m_counted += other.m_counted;
    m_ignored += other.m_ignored;
    m_invalidPredictions += other.m_invalidPredictions;
}

uint64_t ConfusionMatrix::count(int gt, int pred) const
{
    if (gt < 0 || gt >= m_numClasses || pred < 0 || pred >= m_numClasses)
        throw Error(ErrorKind::InvalidInput, "confusion matrix: count(" + std::to_string(gt) + ", " +
                                                 std::to_string(pred) + ") outside 0.." +
                                                 std::to_string(m_numClasses - 1));
    return m_counts[size_t(gt) * size_t(m_numClasses + 1) + size_t(pred)];
}

uint64_t ConfusionMatrix::groundTruthPixels(int c) const
{
    count(c, 0); // range check
    uint64_t s = 0;
    const size_t stride = size_t(m_numClasses + 1);
    for (size_t p = 0; p < stride; ++p)
        s += m_counts[size_t(c) * stride + p];
    return s;
}

uint64_t ConfusionMatrix::predictedPixels(int c) const
{
    count(0, c); // range check
    uint64_t s = 0;
    const size_t stride = size_t(m_numClasses + 1);
    for (size_t g = 0; g < size_t(m_numClasses); ++g)
        s += m_counts[g * stride + size_t(c)];
    return s;
}

bool ConfusionMatrix::present(int c) const
{
    return groundTruthPixels(c) + predictedPixels(c) > 0;
}

std::vector<double> ConfusionMatrix::iou() const
{
    std::vector<double> out(size_t(m_numClasses), kNaN);
    for (int c = 0; c < m_numClasses; ++c) {
        const uint64_t tp = count(c, c);
        const uint64_t uni = groundTruthPixels(c) + predictedPixels(c) - tp;
        if (uni > 0)
            out[size_t(c)] = 100.0 * double(tp) / double(uni);
    }
    return out;
}

double ConfusionMatrix::meanIou() const
{
    double sum = 0;
    int n = 0;
    for (double v : iou())
        if (!std::isnan(v)) {
            sum += v;
            ++n;
        }
    return n > 0 ? sum / n : kNaN;
}

double ConfusionMatrix::meanIou(const std::vector<int>& classes) const
{
    const std::vector<double> ious = iou();
    double sum = 0;
    int n = 0;
    for (int c : classes) {
        count(c, 0); // range check
        if (!std::isnan(ious[size_t(c)])) {
            sum += ious[size_t(c)];
            ++n;
        }
    }
    return n > 0 ? sum / n : kNaN;
}

uint64_t ConfusionMatrix::outOfRangePredictions(int c) const
{
    count(c, 0); // range check
    const size_t stride = size_t(m_numClasses + 1);
    return m_counts[size_t(c) * stride + size_t(m_numClasses)];
}

double ConfusionMatrix::pixelAccuracy() const
{
    if (m_counted == 0)
        return kNaN;
    uint64_t correct = 0;
    for (int c = 0; c < m_numClasses; ++c)
        correct += count(c, c);
    return 100.0 * double(correct) / double(m_counted);
}

double ConfusionMatrix::meanAccuracy() const
{
    double sum = 0;
    int n = 0;
    for (int c = 0; c < m_numClasses; ++c) {
        const uint64_t gt = groundTruthPixels(c);
        if (gt == 0)
            continue;
        sum += 100.0 * double(count(c, c)) / double(gt);
        ++n;
    }
    return n > 0 ? sum / n : kNaN;
}

namespace {

void checkNames(const std::vector<std::string>& names, int numClasses, const char* what)
{
    if (names.size() != size_t(numClasses))
        throw Error(ErrorKind::InvalidInput, std::string(what) + ": " + std::to_string(names.size()) +
                                                 " class names for a " + std::to_string(numClasses) +
                                                 "-class confusion matrix");
}

} // namespace

nlohmann::json ConfusionMatrix::toJson(const std::vector<std::string>& classNames) const
{
    checkNames(classNames, m_numClasses, "evaluation JSON");
    const std::vector<double> ious = iou();
    nlohmann::json perClass = nlohmann::json::object();
    nlohmann::json absent = nlohmann::json::array();
    for (size_t c = 0; c < ious.size(); ++c) {
        for (size_t k = 0; k < c; ++k)
            if (classNames[k] == classNames[c])
                throw Error(ErrorKind::InvalidInput, "evaluation JSON: class name '" + classNames[c] +
                                                         "' is given twice (labels " + std::to_string(k) + " and " +
                                                         std::to_string(c) + ")");
        if (std::isnan(ious[c]))
            absent.push_back(classNames[c]);
        else
            perClass[classNames[c]] = std::round(ious[c] * 1e4) / 1e4;
    }
    nlohmann::json j;
    j["miou"] = percentJson(meanIou());
    j["pixel_accuracy"] = percentJson(pixelAccuracy());
    j["mean_accuracy"] = percentJson(meanAccuracy());
    j["per_class"] = std::move(perClass);
    j["absent_classes"] = std::move(absent);
    j["num_classes"] = m_numClasses;
    j["images"] = m_images;
    j["counted_pixels"] = m_counted;
    j["ignored_pixels"] = m_ignored;
    j["invalid_predictions"] = m_invalidPredictions;
    return j;
}

std::string ConfusionMatrix::toMarkdown(const std::vector<std::string>& classNames) const
{
    checkNames(classNames, m_numClasses, "evaluation table");
    const std::vector<double> ious = iou();
    std::string out = "| class | IoU (%) |\n|---|---:|\n";
    for (size_t c = 0; c < ious.size(); ++c)
        out += "| " + escapeCell(classNames[c]) + " | " + (std::isnan(ious[c]) ? std::string("–") : fixed2(ious[c])) +
               " |\n";
    const double m = meanIou();
    out += "| **mIoU** | **" + (std::isnan(m) ? std::string("–") : fixed2(m)) + "** |\n";
    return out;
}

} // namespace invseg
