// The toy world: a deterministic, seeded generator of labelled scenes with captions, for training and scoring.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Plain C++17: no LibTorch, OpenCV or Qt, so that any tool or test can generate scenes.
//
// A scene is a top stuff (sky or wall) over one or two ground stuffs (grass, sand, water, road) split
// at a random, possibly tilted or wavy horizon, with 1-4 things (ball, box, tree, house, car, star,
// boat) standing where they belong: stars float in the sky (or hang on the wall), boats float on
// water, houses and trees stand on grass or sand, cars on road, grass or sand, balls and boxes on any
// ground. Every pixel carries the class whose shape covers the pixel centre; colour and label come
// from the same rasterisation decision, so the masks are exact.
//
// Determinism: a scene is a pure function of (seed, SceneOptions) and kGeneratorVersion. The
// generator uses its own PRNG and integer arithmetic only (fixed-point geometry and colour), so the
// bytes do not depend on the compiler, the standard library or the floating-point unit. The layout
// and the caption do not depend on the size either; only at small sizes (below about 64) can a tiny,
// partly hidden thing cover no pixel centre, and it is then left out of the caption.
//
// Thread safety: every function is reentrant; generateScene may run on many threads at once.

namespace invseg::toy {

/// Bumped whenever the same (seed, options) would give different bytes; record it with a trained model.
constexpr int kGeneratorVersion = 1;

constexpr int kMinSceneSize = 32;
constexpr int kMaxSceneSize = 4096;
constexpr int kMaxThingsLimit = 6;

/// The class ids: line numbers of resources/toy/classes.txt. Background (0) never occurs in a scene.
enum class ClassId : uint8_t {
    Background,
    Sky,
    Wall,
    Grass,
    Sand,
    Water,
    Road,
    Ball,
    Box,
    Tree,
    House,
    Car,
    Star,
    Boat,
    Count,
};
constexpr int kNumClasses = static_cast<int>(ClassId::Count);

enum class ThingSize : uint8_t { Tiny, Small, Medium, Large, Huge };
enum class Texture : uint8_t { Plain, Striped, Dotted, Shaded };

/// One thing as drawn. Things are listed in drawing order (later ones occlude earlier ones).
struct Thing {
    int classId = 0;
    int colour = 0; ///< index into colourNames()
    ThingSize size = ThingSize::Medium;
    Texture texture = Texture::Plain;
    int supportClassId = 0;             ///< the stuff it stands on, floats on or hangs on
    int pixels = 0;                     ///< pixels it shows in this scene (after occlusion); 0 only at small sizes
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; ///< bounding box of its shape in pixels, [x0, x1) x [y0, y1), clipped
    bool inCaption = false;             ///< true iff pixels > 0; the caption describes exactly these things
};

struct Scene {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb;    ///< row-major RGB8, width * height * 3
    std::vector<uint8_t> labels; ///< row-major class ids, width * height; never 0, always < kNumClasses
    std::string caption;         ///< names every class in presentClasses (by name or a classTerms() word) and no other
    std::vector<int> presentClasses; ///< sorted ids with at least one pixel
    std::vector<Thing> things;       ///< in drawing order
    uint64_t seed = 0;
};

struct SceneOptions {
    int size = 256;    ///< width and height in pixels, kMinSceneSize..kMaxSceneSize
    int minThings = 1; ///< 1 <= minThings <= maxThings <= kMaxThingsLimit; the count is uniform in between
    int maxThings = 4; ///< (a crowded scene may get fewer when no place is left)
};

/// The class names, index = class id; equals resources/toy/classes.txt line by line.
const std::vector<std::string>& classNames();

/// The words that name a class in captions: its name first, then plurals and synonyms ("sea", "street",
/// "grassy", ...); no word names two classes. A caption mentions a class 1..kNumClasses-1 iff one of
/// these occurs in it as a whole word (a maximal run of letters, case-insensitive). Class 0's only term
/// is "background"; captions never mention class 0, but do use the word in the position phrase
/// "in the background", so a check of mentions covers classes 1 and up only.
/// Throws invseg::Error(InvalidInput) for an id outside 0..kNumClasses-1.
const std::vector<std::string>& classTerms(int classId);

/// The ten thing colours ("red", "orange", ...), index = Thing::colour.
const std::vector<std::string>& colourNames();

const char* sizeName(ThingSize size);     ///< "tiny", "small", "medium", "large", "huge"
const char* textureName(Texture texture); ///< "plain", "striped", "dotted", "shaded"

/// Generates one scene. Throws invseg::Error(InvalidInput) for options out of range (the message names
/// the option and its range). About 7 ms for 256 x 256 and 3 s for 4096 x 4096 on one core.
Scene generateScene(uint64_t seed, const SceneOptions& options);
Scene generateScene(uint64_t seed, int size = 256);

/// Disjoint seed ranges, so that no training scene is ever scored.
enum class Split { Train, Validation, Test };

/// [begin, end): train [0, 1e9), validation [1e9, 1e9 + 1e6), test [2e9, 2e9 + 1e6).
std::pair<uint64_t, uint64_t> splitRange(Split split);
/// The split a seed belongs to, or nullopt for a seed in none of them.
std::optional<Split> splitOf(uint64_t seed);
const char* splitName(Split split); ///< "train", "validation", "test"

/// Parses "A", "A-B" (inclusive) or a comma-separated list of those ("0-99,500") into seeds in the
/// order given. Throws invseg::Error(InvalidInput) naming the offending part for a malformed number,
/// an empty part, B < A, a seed listed twice, or more than kMaxSeedCount seeds in all.
constexpr uint64_t kMaxSeedCount = 10'000'000;
std::vector<uint64_t> parseSeedRange(const std::string& spec);

/// Writes a binary PPM (P6) of the image or of the labels in a fixed palette, for looking at scenes.
/// Writes a temporary file and renames it; throws invseg::Error(Io) naming the path on failure.
enum class PpmView { Image, Labels };
void writePpm(const std::string& path, const Scene& scene, PpmView view = PpmView::Image);

} // namespace invseg::toy
