// Seed splits (train, validation, test) and the "0-99,500" seed list syntax of the tools.
#include "invseg/error.h"
#include "invseg/toy_world.h"

#include <algorithm>
#include <limits>

namespace invseg::toy {

namespace {

constexpr uint64_t kTrainEnd = 1'000'000'000;
constexpr uint64_t kValidationBegin = 1'000'000'000;
constexpr uint64_t kTestBegin = 2'000'000'000;
constexpr uint64_t kHeldOutCount = 1'000'000;

[[noreturn]] void fail(const std::string& spec, const std::string& why)
{
    throw Error(ErrorKind::InvalidInput, "invalid seed range '" + spec + "': " + why);
}

std::string trim(const std::string& s)
{
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

/// A decimal seed; false for anything else (signs, spaces inside, overflow, empty).
bool parseSeed(const std::string& text, uint64_t& value)
{
    if (text.empty() || text.size() > 20)
        return false;
    uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        const uint64_t digit = static_cast<uint64_t>(c - '0');
        if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    value = v;
    return true;
}

struct Interval {
    uint64_t first;
    uint64_t last;
    std::string part;
};

} // namespace

std::pair<uint64_t, uint64_t> splitRange(Split split)
{
    switch (split) {
    case Split::Train: return {0, kTrainEnd};
    case Split::Validation: return {kValidationBegin, kValidationBegin + kHeldOutCount};
    case Split::Test: return {kTestBegin, kTestBegin + kHeldOutCount};
    }
    return {0, 0};
}

std::optional<Split> splitOf(uint64_t seed)
{
    for (Split s : {Split::Train, Split::Validation, Split::Test}) {
        const auto [begin, end] = splitRange(s);
        if (seed >= begin && seed < end)
            return s;
    }
    return std::nullopt;
}

const char* splitName(Split split)
{
    switch (split) {
    case Split::Train: return "train";
    case Split::Validation: return "validation";
    case Split::Test: return "test";
    }
    return "unknown";
}

std::vector<uint64_t> parseSeedRange(const std::string& spec)
{
    if (trim(spec).empty())
        fail(spec, "it is empty (expected A, A-B or a comma-separated list of those)");
    std::vector<Interval> intervals;
    uint64_t total = 0;
    size_t start = 0;
    int index = 0;
    for (;;) {
        const size_t comma = spec.find(',', start);
        const std::string raw = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const std::string part = trim(raw);
        ++index;
        if (part.empty())
            fail(spec, "part " + std::to_string(index) + " is empty");
        Interval iv{0, 0, part};
        const size_t dash = part.find('-');
        if (dash == std::string::npos) {
            if (!parseSeed(part, iv.first))
                fail(spec, "part '" + part + "' is not a seed (expected a decimal number from 0 to 2^64-1)");
            iv.last = iv.first;
        } else {
            const std::string a = trim(part.substr(0, dash)), b = trim(part.substr(dash + 1));
            if (!parseSeed(a, iv.first))
                fail(spec, "part '" + part + "': start '" + a + "' is not a seed (expected A-B with decimal numbers)");
            if (!parseSeed(b, iv.last))
                fail(spec, "part '" + part + "': end '" + b + "' is not a seed (expected A-B with decimal numbers)");
            if (iv.last < iv.first)
                fail(spec, "part '" + part + "': the end " + b + " is below the start " + a);
        }
        const uint64_t count = iv.last - iv.first; // one less than the count, which cannot overflow
        if (count >= kMaxSeedCount || total + count + 1 > kMaxSeedCount)
            fail(spec,
                 "part '" + part + "' brings the count above the limit of " + std::to_string(kMaxSeedCount) + " seeds");
        total += count + 1;
        intervals.push_back(iv);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }

    // A seed listed twice: sort the intervals by start and look for one that begins inside an earlier one.
    std::vector<size_t> order(intervals.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return intervals[a].first < intervals[b].first; });
    size_t reach = order.empty() ? 0 : order[0]; // the interval reaching furthest so far
    for (size_t k = 1; k < order.size(); ++k) {
        const Interval& cur = intervals[order[k]];
        const Interval& prev = intervals[reach];
        if (cur.first <= prev.last) {
            const Interval& later = order[k] > reach ? cur : prev;
            const Interval& earlier = order[k] > reach ? prev : cur;
            const std::string where = later.part == earlier.part
                                          ? "twice as '" + later.part + "'"
                                          : "in '" + earlier.part + "' and again in '" + later.part + "'";
            fail(spec, "seed " + std::to_string(cur.first) + " is listed " + where);
        }
        if (cur.last > prev.last)
            reach = order[k];
    }

    std::vector<uint64_t> seeds;
    seeds.reserve(static_cast<size_t>(total));
    for (const Interval& iv : intervals) {
        for (uint64_t s = iv.first;; ++s) {
            seeds.push_back(s);
            if (s == iv.last)
                break;
        }
    }
    return seeds;
}

} // namespace invseg::toy
