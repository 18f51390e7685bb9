// Caption writing: things grouped by what they stand on, a relation between two of them, the grounds nobody
// stands on, and the sky or wall, in one of a few sentence shapes.
#include "toy/captions.h"

#include "toy/rng.h"

#include <algorithm>
#include <initializer_list>

namespace invseg::toy {

namespace {

constexpr uint64_t kCaptionSalt = 0x63617074696F6E31ull; // "caption1"

constexpr int kSky = static_cast<int>(ClassId::Sky);
constexpr int kGrass = static_cast<int>(ClassId::Grass);
constexpr int kSand = static_cast<int>(ClassId::Sand);
constexpr int kWater = static_cast<int>(ClassId::Water);
constexpr int kRoad = static_cast<int>(ClassId::Road);
constexpr int kStar = static_cast<int>(ClassId::Star);

/// One of the options. Never call two drawing functions in one expression (a + b, f(g(), h())): the
/// evaluation order is unspecified and would make captions differ between compilers.
std::string pick(Rng& rng, std::initializer_list<const char*> options)
{
    const int64_t i = rng.range(0, static_cast<int64_t>(options.size()) - 1);
    return *(options.begin() + i);
}

/// "a" or "an" before a phrase.
std::string withArticle(const std::string& phrase)
{
    const char c = phrase.empty() ? 'x' : phrase[0];
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    return (vowel ? "an " : "a ") + phrase;
}

/// "A", "A and B", "A, B and C".
std::string joinList(const std::vector<std::string>& items)
{
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += (i + 1 == items.size()) ? " and " : ", ";
        out += items[i];
    }
    return out;
}

/// The role a ground plays in the layout, which decides how it is named.
enum class GroundRole { Single, Far, Near, Path, Surround };

class CaptionWriter {
public:
    CaptionWriter(const SceneLayout& layout, const Scene& scene, uint64_t seed)
        : m_layout(layout), m_scene(scene), m_rng(seed, kCaptionSalt)
    {
    }

    std::string write();

private:
    bool present(int classId) const
    {
        return std::binary_search(m_scene.presentClasses.begin(), m_scene.presentClasses.end(), classId);
    }
    GroundRole role(int ground) const;
    std::string topAdjective();
    std::string topNounPhrase()
    {
        return withArticle(topAdjective() + (m_layout.stuff.topClass == kSky ? " sky" : " wall"));
    }
    std::string topClause();
    std::string groundNounPhrase(int ground);
    std::string supportPhrase(int thingClass, int support);
    std::string leftoverClause(int ground);
    std::string describe(const PlacedThing& t, int crowd);
    std::string relate(size_t a, size_t b, const std::string& da, const std::string& db);

    const SceneLayout& m_layout;
    const Scene& m_scene;
    Rng m_rng;
};

GroundRole CaptionWriter::role(int ground) const
{
    const StuffLayout& s = m_layout.stuff;
    switch (s.mode) {
    case GroundMode::Single: return GroundRole::Single;
    case GroundMode::Band: return ground == s.farClass ? GroundRole::Far : GroundRole::Near;
    case GroundMode::Path: return ground == s.nearClass ? GroundRole::Path : GroundRole::Surround;
    }
    return GroundRole::Single;
}

std::string CaptionWriter::topAdjective()
{
    if (m_layout.stuff.topClass == kSky) {
        switch (static_cast<SkyStyle>(m_layout.stuff.topStyle)) {
        case SkyStyle::Clear: return pick(m_rng, {"clear", "blue", "clear blue", "sunny", "bright"});
        case SkyStyle::Cloudy: return pick(m_rng, {"cloudy", "cloudy", "partly cloudy"});
        case SkyStyle::Sunset: return pick(m_rng, {"sunset", "evening", "orange", "golden"});
        case SkyStyle::Overcast: return pick(m_rng, {"grey", "overcast", "dull grey"});
        }
    }
    switch (static_cast<WallStyle>(m_layout.stuff.topStyle)) {
    case WallStyle::Brick: return pick(m_rng, {"brick", "red brick"});
    case WallStyle::Stone: return pick(m_rng, {"stone", "grey stone"});
    case WallStyle::Plaster: return pick(m_rng, {"cream", "plaster", "pale"});
    case WallStyle::Wood: return pick(m_rng, {"wooden", "brown wooden"});
    }
    return "plain";
}

std::string CaptionWriter::topClause()
{
    const std::string np = topNounPhrase();
    if (m_layout.stuff.topClass == kSky)
        return pick(m_rng, {"under ", "below ", "beneath "}) + np;
    switch (m_rng.range(0, 2)) {
    case 0: return "in front of " + np;
    case 1: return "against " + np;
    default: return "with " + np + " behind";
    }
}

std::string CaptionWriter::groundNounPhrase(int ground)
{
    const bool path = role(ground) == GroundRole::Path;
    switch (static_cast<ClassId>(ground)) {
    case ClassId::Grass: return pick(m_rng, {"green grass", "a grassy field", "a lawn", "a meadow"});
    case ClassId::Sand:
        return path ? pick(m_rng, {"a sandy path", "a sand track"})
                    : pick(m_rng, {"sand", "a sandy beach", "the beach"});
    case ClassId::Water:
        return path ? pick(m_rng, {"a river", "a winding river"})
                    : pick(m_rng, {"water", "the sea", "a lake", "calm water"});
    case ClassId::Road:
        return path ? pick(m_rng, {"a road", "a long road", "a country road"})
                    : pick(m_rng, {"a road", "a street", "an empty road"});
    default: return "the ground";
    }
}

std::string CaptionWriter::supportPhrase(int thingClass, int support)
{
    const bool path = role(support) == GroundRole::Path;
    if (support == m_layout.stuff.topClass) { // only stars go there
        if (support == kSky)
            return "in the " + topAdjective() + " sky";
        // One draw per statement: the order in which operands of + are evaluated is unspecified, and
        // compilers differ, which would change the caption.
        const std::string verb = pick(m_rng, {"on the ", "hanging on the "});
        return verb + topAdjective() + " wall";
    }
    switch (static_cast<ClassId>(support)) {
    case ClassId::Grass: return pick(m_rng, {"on the grass", "on a grassy field", "on a green lawn", "in a meadow"});
    case ClassId::Sand:
        return path ? pick(m_rng, {"on a sandy path", "on the sand track"})
                    : pick(m_rng, {"on the sand", "on the beach", "on a sandy beach"});
    case ClassId::Water:
        if (thingClass == static_cast<int>(ClassId::Boat))
            return path ? pick(m_rng, {"on the river", "sailing down a river"})
                        : pick(m_rng, {"on the water", "floating on the water", "sailing on the sea", "on a lake",
                                       "on the sea"});
        if (thingClass < 0) // a mix of boats and floating things
            return path ? std::string("on the river") : pick(m_rng, {"on the water", "on the sea", "on a lake"});
        return path ? pick(m_rng, {"floating in the river", "in the river"})
                    : pick(m_rng, {"floating on the water", "floating on the sea", "in the water"});
    case ClassId::Road:
        if (thingClass == static_cast<int>(ClassId::Car))
            return pick(m_rng, {"on the road", "parked on the street", "driving along the road", "on a street"});
        return pick(m_rng, {"on the road", "on the street"});
    default: return "";
    }
}

std::string CaptionWriter::leftoverClause(int ground)
{
    const std::string np = groundNounPhrase(ground);
    switch (role(ground)) {
    case GroundRole::Far:
        switch (m_rng.range(0, 2)) {
        case 0: return "with " + np + " in the background";
        case 1: return "near " + np;
        default: return "with " + np + " behind";
        }
    case GroundRole::Near:
        switch (m_rng.range(0, 2)) {
        case 0: return "with " + np + " in the foreground";
        case 1: return "by " + np;
        default: return "near " + np;
        }
    case GroundRole::Path: return pick(m_rng, {"beside ", "next to ", "by "}) + np;
    case GroundRole::Surround:
        return m_rng.chance(50) ? pick(m_rng, {"surrounded by ", "in the middle of "}) + np : "with " + np + " around";
    case GroundRole::Single: return pick(m_rng, {"above ", "over "}) + np;
    }
    return np;
}

std::string CaptionWriter::describe(const PlacedThing& t, int crowd)
{
    std::vector<std::string> words;
    if (m_rng.chance(72 - 8 * crowd)) {
        std::string size;
        switch (t.thing.size) {
        case ThingSize::Tiny: size = "tiny"; break;
        case ThingSize::Small: size = pick(m_rng, {"small", "little"}); break;
        case ThingSize::Medium: size = pick(m_rng, {"medium-sized", "mid-sized"}); break;
        case ThingSize::Large: size = pick(m_rng, {"large", "big"}); break;
        case ThingSize::Huge: size = pick(m_rng, {"huge", "giant"}); break;
        }
        words.push_back(size);
    }
    if (t.thing.texture != Texture::Plain && m_rng.chance(55 - 6 * crowd)) {
        switch (t.thing.texture) {
        case Texture::Striped: words.push_back("striped"); break;
        case Texture::Dotted: words.push_back(pick(m_rng, {"dotted", "spotted", "polka-dot"})); break;
        case Texture::Shaded: words.push_back(pick(m_rng, {"shiny", "shaded"})); break;
        case Texture::Plain: break;
        }
    }
    if (m_rng.chance(92))
        words.push_back(colourNames()[static_cast<size_t>(t.thing.colour)]);
    switch (static_cast<ClassId>(t.thing.classId)) {
    case ClassId::Ball: words.push_back("ball"); break;
    case ClassId::Box:
        words.push_back(t.variant % 2 == 0 ? pick(m_rng, {"box", "crate"}) : pick(m_rng, {"box", "gift box"}));
        break;
    case ClassId::Tree: words.push_back("tree"); break;
    case ClassId::House: words.push_back(pick(m_rng, {"house", "house", "cottage"})); break;
    case ClassId::Car: words.push_back("car"); break;
    case ClassId::Star: words.push_back("star"); break;
    case ClassId::Boat: words.push_back(pick(m_rng, {"boat", "sailboat", "sailing boat"})); break;
    default: words.push_back("thing"); break;
    }
    std::string phrase;
    for (const std::string& w : words)
        phrase += (phrase.empty() ? "" : " ") + w;
    return withArticle(phrase);
}

std::string CaptionWriter::relate(size_t a, size_t b, const std::string& da, const std::string& db)
{
    // Things are in drawing order, so with overlapping boxes the later one (b) is in front.
    const PlacedThing& ta = m_layout.things[a];
    const PlacedThing& tb = m_layout.things[b];
    const bool overlap = std::min(ta.right(), tb.right()) > std::max(ta.left(), tb.left()) &&
                         std::min(ta.footV, tb.footV) > std::max(ta.top(), tb.top());
    if (overlap)
        return m_rng.chance(50) ? db + " in front of " + da : da + " behind " + db;
    switch (m_rng.range(0, 2)) {
    case 0: return da + pick(m_rng, {" next to ", " beside "}) + db;
    case 1: return da + (ta.footU < tb.footU ? " to the left of " : " to the right of ") + db;
    default: return db + (tb.footU < ta.footU ? " to the left of " : " to the right of ") + da;
    }
}

std::string CaptionWriter::write()
{
    const StuffLayout& stuff = m_layout.stuff;
    std::vector<size_t> visible;
    for (size_t k = 0; k < m_scene.things.size(); ++k)
        if (m_scene.things[k].inCaption)
            visible.push_back(k);
    const int crowd = std::max(0, static_cast<int>(visible.size()) - 2);

    // Group visible things by support; a far or near thing gets "in the background" or "in the foreground".
    struct Group {
        int support;
        std::vector<size_t> members;
        std::vector<int> distance; // per member: 0 plain, 1 background, 2 foreground
    };
    std::vector<Group> groups;
    for (size_t k : visible) {
        const PlacedThing& t = m_layout.things[k];
        int distance = 0;
        if (t.thing.classId != kStar) {
            if (t.depth < frac(28, 100) && m_rng.chance(65))
                distance = 1;
            else if (t.depth > frac(82, 100) && m_rng.chance(35))
                distance = 2;
        }
        const int support = present(t.thing.supportClassId) ? t.thing.supportClassId : 0;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return g.support == support; });
        if (it == groups.end()) {
            groups.push_back({support, {k}, {distance}});
        } else {
            it->members.push_back(k);
            it->distance.push_back(distance);
        }
    }
    const auto qualifier = [&](int distance) -> std::string {
        if (distance == 1)
            return " " + pick(m_rng, {"in the background", "in the background", "in the distance", "far away"});
        if (distance == 2)
            return " " + pick(m_rng, {"in the foreground", "up close"});
        return "";
    };

    bool topNamed = false;
    std::vector<int> groundsNamed;
    std::vector<std::string> clauses;
    std::vector<std::string> plainThings; // for the stuff-first sentence shape
    for (const Group& g : groups) {
        // Things of one class and colour may be counted together: "two red balls".
        struct Item {
            std::string text;
            int distance;
            size_t thing; // the thing, for a relation between single things
            bool counted;
        };
        std::vector<Item> items;
        std::vector<bool> used(g.members.size(), false);
        for (size_t i = 0; i < g.members.size(); ++i) {
            if (used[i])
                continue;
            const Thing& ti = m_layout.things[g.members[i]].thing;
            std::vector<size_t> same{i};
            for (size_t j = i + 1; j < g.members.size(); ++j) {
                const Thing& tj = m_layout.things[g.members[j]].thing;
                if (!used[j] && tj.classId == ti.classId && tj.colour == ti.colour)
                    same.push_back(j);
            }
            if (same.size() >= 2 && m_rng.chance(70)) {
                static const char* const kCounts[] = {"", "", "two", "three", "four", "five", "six"};
                for (size_t j : same)
                    used[j] = true;
                items.push_back({std::string(kCounts[same.size()]) + " " +
                                     colourNames()[static_cast<size_t>(ti.colour)] + " " + classTerms(ti.classId)[1],
                                 0, g.members[i], true});
            } else {
                used[i] = true;
                items.push_back({describe(m_layout.things[g.members[i]], crowd), g.distance[i], g.members[i], false});
            }
        }
        std::string clause;
        if (items.size() == 2 && !items[0].counted && !items[1].counted && m_rng.chance(55)) {
            clause = relate(items[0].thing, items[1].thing, items[0].text, items[1].text);
        } else {
            // With several items, a qualifier follows its item (never the last, where it would read as
            // qualifying the support phrase that follows).
            std::vector<std::string> texts;
            for (size_t i = 0; i < items.size(); ++i)
                texts.push_back(items[i].text +
                                (items.size() > 1 && i + 1 < items.size() ? qualifier(items[i].distance) : ""));
            clause = joinList(texts);
        }
        for (const Item& item : items)
            plainThings.push_back(item.text);
        if (g.support != 0) {
            // Class-specific wording ("sailing", "parked") only when every member is of that class.
            int groupClass = m_layout.things[g.members[0]].thing.classId;
            for (size_t k : g.members)
                if (m_layout.things[k].thing.classId != groupClass)
                    groupClass = -1;
            const std::string support = supportPhrase(groupClass, g.support);
            clause += " " + support;
            if (g.support == stuff.topClass)
                topNamed = true;
            else
                groundsNamed.push_back(g.support);
        }
        if (items.size() == 1)
            clause += qualifier(items[0].distance);
        clauses.push_back(clause);
    }

    std::vector<int> leftoverGrounds;
    for (int g : stuff.grounds())
        if (present(g) && std::find(groundsNamed.begin(), groundsNamed.end(), g) == groundsNamed.end() &&
            std::find(leftoverGrounds.begin(), leftoverGrounds.end(), g) == leftoverGrounds.end())
            leftoverGrounds.push_back(g);
    const bool topPresent = present(stuff.topClass);
    const bool anyGroundThing = !groundsNamed.empty();

    const std::string prefix = m_rng.chance(55)
                                   ? std::string()
                                   : pick(m_rng, {"a picture of ", "a photo of ", "an image of ", "a drawing of ",
                                                  "a toy scene with ", "a rendering of "});

    // The stuff-first shape: "a cloudy sky above a grassy field and the sea, with a red ball and a boat".
    const int shape = static_cast<int>(m_rng.range(0, 99));
    if (!anyGroundThing || shape < 22) {
        std::vector<int> grounds;
        for (int g : stuff.grounds())
            if (present(g) && std::find(grounds.begin(), grounds.end(), g) == grounds.end())
                grounds.push_back(g);
        std::vector<std::string> groundPhrases;
        for (int g : grounds)
            groundPhrases.push_back(groundNounPhrase(g));
        std::string out = prefix;
        if (topPresent && !(topNamed && !anyGroundThing)) {
            out += topNounPhrase();
            if (!groundPhrases.empty())
                out += pick(m_rng, {" above ", " over "}) + joinList(groundPhrases);
            if (!plainThings.empty())
                out += pick(m_rng, {", with ", " with "}) + joinList(plainThings);
        } else if (topPresent) {
            // Only stars (they name the sky or wall): "a yellow star in the sky above a meadow".
            out += joinList(clauses);
            if (!groundPhrases.empty())
                out += pick(m_rng, {" above ", " over "}) + joinList(groundPhrases);
        } else {
            out += joinList(groundPhrases);
            if (!plainThings.empty())
                out += " with " + joinList(plainThings);
        }
        return out;
    }

    std::vector<std::string> leftovers;
    for (int g : leftoverGrounds)
        leftovers.push_back(leftoverClause(g));
    std::string main = joinList(clauses);
    if (!leftovers.empty())
        main += (m_rng.chance(50) ? " " : ", ") + joinList(leftovers);
    if (!topPresent || topNamed)
        return prefix + main;
    if (shape < 50) {
        const std::string top = stuff.topClass == kSky ? topClause() : "in front of " + topNounPhrase();
        return top + ", " + main;
    }
    std::string top = topClause();
    if (!leftovers.empty() && top.compare(0, 5, "with ") == 0)
        top = "in front of " + topNounPhrase(); // not "with the sea behind with a brick wall behind"
    return prefix + main + (m_rng.chance(70) ? " " : ", ") + top;
}

} // namespace

std::string writeCaption(const SceneLayout& layout, const Scene& scene, uint64_t seed)
{
    return CaptionWriter(layout, scene, seed).write();
}

} // namespace invseg::toy
