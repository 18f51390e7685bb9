// Own implementations of connected components, border following and Douglas-Peucker, so polygon export works the
// same with and without OpenCV.
#include "export/contours.h"

#include "invseg/error.h"

#include <algorithm>
#include <cmath>

namespace invseg::contours {
namespace {

// The 8 neighbours in counter-clockwise order on screen (y grows downwards): E, NE, N, NW, W, SW, S, SE.
constexpr int kDx[8] = {1, 1, 0, -1, -1, -1, 0, 1};
constexpr int kDy[8] = {0, -1, -1, -1, 0, 1, 1, 1};

int directionTo(const Point& from, const Point& to)
{
    for (int d = 0; d < 8; ++d)
        if (from.x + kDx[d] == to.x && from.y + kDy[d] == to.y)
            return d;
    return -1;
}

/// Distance from p to the segment a-b (to a itself when a == b).
double segmentDistance(const std::array<double, 2>& p, const std::array<double, 2>& a, const std::array<double, 2>& b)
{
    const double vx = b[0] - a[0], vy = b[1] - a[1];
    const double wx = p[0] - a[0], wy = p[1] - a[1];
    const double len2 = vx * vx + vy * vy;
    double t = len2 > 0 ? (wx * vx + wy * vy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double dx = wx - t * vx, dy = wy - t * vy;
    return std::sqrt(dx * dx + dy * dy);
}

/// Douglas-Peucker on the open chain pts[first..last] (inclusive); marks kept points. Iterative: boundaries of large
/// regions have hundreds of thousands of points, too deep for recursion.
void simplifyOpen(const std::vector<std::array<double, 2>>& pts, size_t first, size_t last, double epsilon,
                  std::vector<bool>& keep)
{
    keep[first] = keep[last] = true;
    std::vector<std::pair<size_t, size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double worst = -1;
        size_t at = a;
        for (size_t i = a + 1; i < b; ++i) {
            const double d = segmentDistance(pts[i], pts[a], pts[b]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (at != a && worst > epsilon) {
            keep[at] = true;
            stack.push_back({a, at});
            stack.push_back({at, b});
        }
    }
}

} // namespace

Components connectedComponents(const LabelMap& labels)
{
    Components c;
    c.width = labels.width;
    c.height = labels.height;
    const size_t n = size_t(labels.width) * size_t(labels.height);
    c.ids.assign(n, -1);
    std::vector<size_t> stack;
    for (size_t start = 0; start < n; ++start) {
        const uint8_t label = labels.labels[start];
        if (label == 0 || label == kIgnoreLabel || c.ids[start] >= 0)
            continue;
        // The scan meets every region first at its raster-first pixel, because everything before it is visited.
        const int32_t id = int32_t(c.regions.size());
        Region r;
        r.label = label;
        r.firstPixel = start;
        r.minX = r.maxX = int(start % size_t(labels.width));
        r.minY = r.maxY = int(start / size_t(labels.width));
        c.ids[start] = id;
        stack.assign(1, start);
        while (!stack.empty()) {
            const size_t p = stack.back();
            stack.pop_back();
            const int x = int(p % size_t(labels.width)), y = int(p / size_t(labels.width));
            ++r.area;
            r.minX = std::min(r.minX, x);
            r.maxX = std::max(r.maxX, x);
            r.minY = std::min(r.minY, y);
            r.maxY = std::max(r.maxY, y);
            for (int d = 0; d < 8; ++d) {
                const int nx = x + kDx[d], ny = y + kDy[d];
                if (nx < 0 || ny < 0 || nx >= labels.width || ny >= labels.height)
                    continue;
                const size_t q = size_t(ny) * size_t(labels.width) + size_t(nx);
                if (c.ids[q] < 0 && labels.labels[q] == label) {
                    c.ids[q] = id;
                    stack.push_back(q);
                }
            }
        }
        c.regions.push_back(r);
    }
    return c;
}

std::vector<Point> traceOuterBoundary(const Components& components, int id)
{
    const int w = components.width, h = components.height;
    auto inside = [&](const Point& p) {
        return p.x >= 0 && p.y >= 0 && p.x < w && p.y < h &&
               components.ids[size_t(p.y) * size_t(w) + size_t(p.x)] == id;
    };
    const size_t first = components.regions.at(size_t(id)).firstPixel;
    const Point s{int(first % size_t(w)), int(first / size_t(w))};
    std::vector<Point> out{s};

    // Suzuki & Abe (1985), border following from an outer-border start: look clockwise from the west neighbour (not
    // in the region, since s is raster-first) for the first region pixel.
    Point p1{};
    bool found = false;
    for (int k = 0; k < 8 && !found; ++k) {
        const int d = (4 - k + 8) % 8;
        const Point q{s.x + kDx[d], s.y + kDy[d]};
        if (inside(q)) {
            p1 = q;
            found = true;
        }
    }
    if (!found)
        return out; // an isolated pixel

    // Then repeatedly look counter-clockwise around the current pixel, starting just after the previous one; stop
    // when back at s about to step to p1 again (this criterion walks one-pixel-wide parts in both directions).
    Point prev = p1, cur = s;
    const size_t maxSteps = 4 * size_t(w) * size_t(h) + 8;
    for (size_t step = 0; step < maxSteps; ++step) {
        const int d0 = directionTo(cur, prev);
        Point next = prev;
        for (int k = 1; k <= 8; ++k) {
            const int d = (d0 + k) % 8;
            const Point q{cur.x + kDx[d], cur.y + kDy[d]};
            if (inside(q)) {
                next = q;
                break;
            }
        }
        if (next == s && cur == p1)
            return out;
        prev = cur;
        cur = next;
        out.push_back(cur);
    }
    throw Error(ErrorKind::Internal, "contour tracing did not close (region " + std::to_string(id) + ")");
}

std::vector<std::array<double, 2>> simplifyClosed(const std::vector<std::array<double, 2>>& points, double epsilon)
{
    const size_t n = points.size();
    if (n < 3)
        return points;
    // Split the ring at the start and the point farthest from it, both of which are kept, and simplify each half.
    size_t far = 0;
    double farDist = -1;
    for (size_t i = 1; i < n; ++i) {
        const double dx = points[i][0] - points[0][0], dy = points[i][1] - points[0][1];
        const double d = dx * dx + dy * dy;
        if (d > farDist) {
            farDist = d;
            far = i;
        }
    }
    if (farDist <= 0)
        return {points[0]};
    std::vector<std::array<double, 2>> ring(points);
    ring.push_back(points[0]); // close the ring so that the second half ends where the first began
    std::vector<bool> keep(ring.size(), false);
    // A tiny floor keeps rounding noise of scaled coordinates from counting as a corner when epsilon is 0.
    const double eps = std::max(epsilon, 1e-9);
    simplifyOpen(ring, 0, far, eps, keep);
    simplifyOpen(ring, far, ring.size() - 1, eps, keep);
    std::vector<std::array<double, 2>> out;
    for (size_t i = 0; i + 1 < ring.size(); ++i)
        if (keep[i])
            out.push_back(ring[i]);
    return out;
}

} // namespace invseg::contours
