// Tests of the CLIP BPE tokenizer: exact ids against every golden set's token_tests and the reference tokenizer.
#include "support/golden_sets.h"

#include "invseg/error.h"
#include "invseg/resources.h"
#include "invseg/tokenizer.h"
#include "text/unicode_tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::string_view_literals;
using invseg::ClipTokenizer;
using invseg::Error;
using invseg::ErrorKind;

namespace {

using Ids = std::vector<int64_t>;

const ClipTokenizer& tok()
{
    return ClipTokenizer::bundled();
}

struct Vector {
    std::string_view text;
    Ids ids;
};

// Content ids computed by openai/CLIP simple_tokenizer.py (ftfy stubbed; Python 3.11 html.unescape, re, str.lower,
// unicodedata; the `regex` split written out by hand) for inputs that exercise the corners of each step: HTML
// references (named with and without ';', longest prefix, numeric with the cp1252 / U+FFFD / drop fix-ups), Greek
// final sigma, U+0130 and U+017F, upper-case contractions, Unicode whitespace, literal special tokens, non-ASCII
// digits, combining marks, emoji sequences, NUL, Cyrillic and Greek.
const Vector kReferenceVectors[] = {
    {"&amp;amp; &lt;b&gt; &quot;x&quot; &#39;s &apos;ll &nbsp;nbsp"sv,
     {261, 283, 321, 285, 257, 343, 257, 568, 1342, 6459, 4393}},
    {"&copy &copy; &ampfoo &notit; &notin; &NotEqualTilde; &unknown; &#x41;&#X42;&#67 &#128; &#0; &#x110000; &#xD800; &#1; &#99999999999999999999;"sv,
     {5811, 5811, 261, 23435, 126, 361,  585,  282,   17788, 487,   22684, 224,
      136,  372,  261, 8685,  282, 5334, 6309, 39802, 39802, 39802, 39802}},
    {"&#&#x;&;& amp; &AMP"sv, {5, 2, 5, 258, 343, 26, 5, 26, 261, 6259, 282, 261}},
    {"\316\237\316\224\316\237\316\243 \316\243\316\221\316\243 \316\243 a\316\243 \316\243a \316\221\316\243."sv,
     {138, 123, 138, 112, 138, 123, 139, 480, 139, 225, 138, 109, 139, 480,
      139, 481, 64,  139, 480, 139, 225, 320, 138, 109, 139, 480, 269}},
    {"\304\260stanbul KELVIN\342\204\252 \305\277ome '\305\277 dON'T I'LL WE'VE You'RE she'D I'M"sv,
     {328, 16384, 11231, 2825, 85,  967,  129, 123, 5832, 6,    129, 379,
      847, 713,   328,   1342, 649, 1200, 592, 982, 1043, 1896, 328, 880}},
    {"tab\343\200\200ideographic\302\205nel\034fs\302\240nbsp\342\200\250ls end"sv,
     {14724, 1909, 78, 4245, 2693, 3854, 6459, 4393, 1268, 806}},
    {"<|startoftext|>hi<|endoftext|> x<|ENDOFTEXT|>y !<|endoftext|>"sv,
     {49406, 1883, 49407, 343, 49407, 344, 0, 27, 347, 40786, 4160, 91, 285}},
    {"\331\243\331\244 \342\205\245 \302\275 \331\241\331\242\331\243 \302\262"sv,
     {149, 352, 149, 353, 158, 227, 369, 33613, 149, 350, 149, 351, 149, 352, 41175}},
    {"e\314\201 n\314\203o cafe\314\201"sv, {324, 136, 479, 333, 136, 481, 334, 4979, 136, 479}},
    {"\360\237\221\251\342\200\215\360\237\221\251\342\200\215\360\237\221\247 \360\237\207\253\360\237\207\267 \342\235\244\357\270\217"sv,
     {26304, 26304, 964, 356, 16223, 1752}},
    {"a\000b"sv, {320, 444, 321}},
    {"\320\237\321\200\320\270\320\262\320\265\321\202, \320\274\320\270\321\200! \316\223\316\265\316\271\316\254 \317\203\316\277\317\205 \316\232\317\214\317\203\316\274\316\265"sv,
     {26302, 16370, 29503, 110, 22176, 141, 480, 267, 38018, 16701, 141, 478, 256, 138, 111, 138, 113, 138, 117,
      138,   361,   139,   225, 138,   123, 139, 483, 138,   118,   139, 234, 139, 225, 138, 120, 138, 369}},
    {"price: $1,299.99 (20% off) #deal @shop"sv,
     {2827, 281, 259, 272, 267, 273, 280, 280, 269, 280, 280, 263, 273, 271, 260, 1007, 264, 258, 2696, 287, 1557}},
    {"&lt;|endoftext|&gt;"sv, {49407}},
};

} // namespace

TEST(ClipTokenizer, VocabularyShape)
{
    EXPECT_EQ(tok().vocabSize(), 49408);
    EXPECT_EQ(tok().tokenString(0), "!");
    EXPECT_EQ(tok().tokenString(256), "!</w>");
    EXPECT_EQ(tok().tokenString(2368), "cat</w>");
    EXPECT_EQ(tok().tokenString(ClipTokenizer::kBos), "<|startoftext|>");
    EXPECT_EQ(tok().tokenString(ClipTokenizer::kEos), "<|endoftext|>");
    // The last merge of the 48,894 used (line 48,894 of the vocabulary file) is "jeky ll</w>".
    EXPECT_EQ(tok().tokenString(49405), "jekyll</w>");
    // Bytes outside the printable ranges map to U+0100 + n: byte 0 is U+0100 (UTF-8 C4 80) at id 188.
    EXPECT_EQ(tok().tokenString(188), "\xC4\x80");
    EXPECT_EQ(tok().tokenId("cat</w>"), 2368);
    EXPECT_EQ(tok().tokenId("no such token"), -1);
    EXPECT_THROW(tok().tokenString(-1), Error);
    EXPECT_THROW(tok().tokenString(49408), Error);
}

TEST(ClipTokenizer, ReferenceTestVectors)
{
    // sd-reference.md section 4.
    auto wrapped = [](const std::string& text) {
        Ids ids = tok().encode(text);
        ids.insert(ids.begin(), ClipTokenizer::kBos);
        ids.push_back(ClipTokenizer::kEos);
        return ids;
    };
    EXPECT_EQ(wrapped("a photo of a cat"), (Ids{49406, 320, 1125, 539, 320, 2368, 49407}));
    EXPECT_EQ(wrapped("A photo of an astronaut riding a horse on Mars."),
              (Ids{49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 269, 49407}));
    EXPECT_EQ(wrapped("hello world!!! don't"), (Ids{49406, 3306, 1002, 995, 847, 713, 49407}));
    EXPECT_EQ(wrapped("caf\u00e9 123"), (Ids{49406, 15304, 272, 273, 274, 49407}));
}

TEST(ClipTokenizer, GoldenTokenTestsAreExact)
{
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        const int64_t pad = set.meta.at("pad_id").get<int64_t>();
        const auto& tests = set.meta.at("token_tests");
        ASSERT_FALSE(tests.empty());
        for (const auto& t : tests) {
            const auto text = t.at("text").get<std::string>();
            const auto expected = t.at("ids").get<Ids>();
            EXPECT_EQ(tok().encodePadded(text, pad, int64_t(expected.size())), expected) << "text: '" << text << "'";
        }
    }
}

TEST(ClipTokenizer, GoldenPromptsMatchInputIds)
{
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    for (const auto& set : sets) {
        SCOPED_TRACE(set.name);
        const int64_t pad = set.meta.at("pad_id").get<int64_t>();
        const auto prompts = set.meta.at("prompts").get<std::vector<std::string>>();
        const auto ids = set.tensors->tensor("input_ids").to(torch::kLong);
        ASSERT_EQ(ids.dim(), 2);
        ASSERT_EQ(ids.size(0), int64_t(prompts.size()));
        for (size_t p = 0; p < prompts.size(); ++p) {
            const auto row = ids[int64_t(p)].contiguous();
            const Ids expected(row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel());
            EXPECT_EQ(tok().encodePadded(prompts[p], pad, row.numel()), expected) << "prompt: '" << prompts[p] << "'";
        }
    }
}

TEST(ClipTokenizer, MatchesReferenceOnTrickyInputs)
{
    for (const auto& v : kReferenceVectors)
        EXPECT_EQ(tok().encode(std::string(v.text)), v.ids) << "text: '" << v.text << "'";
}

TEST(ClipTokenizer, MergesTxtGivesTheSameIdsAsTheGzVocabulary)
{
    const auto sets = invseg::test::goldenSets();
    INVSEG_REQUIRE_GOLDEN(sets);
    int compared = 0;
    for (const auto& set : sets) {
        const auto merges = std::filesystem::path(set.diffusersDir()) / "tokenizer" / "merges.txt";
        if (!std::filesystem::exists(merges))
            continue;
        ++compared;
        SCOPED_TRACE(merges.string());
        const ClipTokenizer fromTxt = ClipTokenizer::fromFile(merges.string());
        EXPECT_EQ(fromTxt.vocabSize(), tok().vocabSize());
        for (int64_t id = 0; id < tok().vocabSize(); id += 97)
            EXPECT_EQ(fromTxt.tokenString(id), tok().tokenString(id)) << "id " << id;
        EXPECT_EQ(fromTxt.tokenString(49405), tok().tokenString(49405));
        for (const auto& t : set.meta.at("token_tests")) {
            const auto text = t.at("text").get<std::string>();
            EXPECT_EQ(fromTxt.encodePadded(text, 0), tok().encodePadded(text, 0)) << "text: '" << text << "'";
        }
        for (const auto& v : kReferenceVectors)
            EXPECT_EQ(fromTxt.encode(std::string(v.text)), v.ids);
    }
    EXPECT_GT(compared, 0) << "no golden set under " << invseg::test::goldenRoot() << " has tokenizer/merges.txt";
}

TEST(ClipTokenizer, PaddingAndTruncation)
{
    Ids empty(77, 7);
    empty[0] = ClipTokenizer::kBos;
    empty[1] = ClipTokenizer::kEos;
    EXPECT_EQ(tok().encodePadded("", 7), empty);
    EXPECT_EQ(tok().encodePadded("cat", ClipTokenizer::kEos, 5), (Ids{49406, 2368, 49407, 49407, 49407}));
    EXPECT_EQ(tok().encodePadded("a photo of a cat", 0, 4), (Ids{49406, 320, 1125, 49407}));
    EXPECT_EQ(tok().encodePadded("a photo", 0, 2), (Ids{49406, 49407}));
    EXPECT_THROW(tok().encodePadded("cat", 0, 1), Error);
    EXPECT_TRUE(tok().encode("").empty());
    EXPECT_TRUE(tok().encode(" \t\n ").empty());
}

TEST(ClipTokenizer, LongPromptTruncatesTo77KeepingEosLast)
{
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += (i ? " " : "") + std::string(i % 2 ? "dog" : "cat");
    const Ids content = tok().encode(text);
    ASSERT_EQ(content.size(), 200u);
    const Ids ids = tok().encodePadded(text, 0);
    ASSERT_EQ(ids.size(), 77u);
    EXPECT_EQ(ids.front(), ClipTokenizer::kBos);
    EXPECT_EQ(ids.back(), ClipTokenizer::kEos);
    EXPECT_EQ(Ids(ids.begin() + 1, ids.end() - 1), Ids(content.begin(), content.begin() + 75));
    EXPECT_EQ(std::count(ids.begin(), ids.end(), ClipTokenizer::kEos), 1);
}

TEST(ClipTokenizer, InvalidUtf8IsReadAsReplacementCharacters)
{
    // Each maximal ill-formed subpart reads as one U+FFFD (as Python's decode(errors="replace") does). U+FFFD is
    // neither letter, number nor space, so a run of them is one word.
    const struct {
        const char* bytes;
        int replacements;
    } cases[] = {
        {"\x80", 1},             // lone continuation byte
        {"\xC3", 1},             // truncated 2-byte sequence
        {"\xE2\x82", 1},         // truncated 3-byte sequence
        {"\xC0\xAF", 2},         // overlong form: C0 is never valid
        {"\xED\xA0\x80", 3},     // encoded surrogate
        {"\xF4\x90\x80\x80", 4}, // above U+10FFFF
        {"\xFF", 1},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(testing::PrintToString(std::string(c.bytes)));
        std::string reps;
        for (int k = 0; k < c.replacements; ++k)
            reps += "\xEF\xBF\xBD";
        Ids ids;
        EXPECT_NO_THROW(ids = tok().encode(c.bytes));
        EXPECT_FALSE(ids.empty());
        EXPECT_EQ(ids, tok().encode(reps));
    }
    // Valid text around invalid bytes still tokenises as usual.
    const Ids mixed = tok().encode("cat\xFF dog");
    ASSERT_GE(mixed.size(), 3u);
    EXPECT_EQ(mixed.back(), tok().encode("dog").back());
    // Arbitrary bytes never crash.
    std::string all;
    for (int b = 0; b < 256; ++b)
        all.push_back(char(b));
    EXPECT_NO_THROW(tok().encode(all + all));
    EXPECT_NO_THROW(tok().decode(tok().encode(all)));
}

TEST(ClipTokenizer, LiteralSpecialTokensAndEntities)
{
    EXPECT_EQ(tok().encode("<|endoftext|>"), (Ids{49407}));
    EXPECT_EQ(tok().encode("&lt;|startoftext|&gt;"), (Ids{49406}));
    EXPECT_EQ(tok().encode("&amp;amp;"), tok().encode("&"));         // unescaped twice
    EXPECT_EQ(tok().encode("&amp;amp;amp;"), (Ids{261, 6259, 282})); // only twice: "&", "amp", ";"
    EXPECT_EQ(tok().encode("&#39;s"), tok().encode("'s"));
    EXPECT_EQ(tok().encode("&ouml;"), tok().encode("\u00f6"));
}

TEST(ClipTokenizer, DecodeGivesReadableText)
{
    EXPECT_EQ(tok().decode(tok().encodePadded("A Photo of a CAT!", ClipTokenizer::kEos)), "a photo of a cat !");
    EXPECT_EQ(tok().decode(tok().encode("caf\u00e9 na\u00efve \u65e5\u672c\u8a9e")),
              "caf\u00e9 na\u00efve \u65e5\u672c\u8a9e");
    EXPECT_EQ(tok().decode(tok().encode("don't")), "don 't");
    EXPECT_EQ(tok().decode({}), "");
    EXPECT_THROW(tok().decode({49408}), Error);
}

TEST(ClipTokenizer, ConcurrentEncodeIsConsistent)
{
    const ClipTokenizer fresh = ClipTokenizer::fromFile(invseg::resourcePath("clip/bpe_simple_vocab_16e6.txt.gz"));
    std::vector<Ids> expected;
    for (const auto& v : kReferenceVectors)
        expected.push_back(v.ids);
    std::vector<int> failures(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 20; ++round)
                for (size_t i = 0; i < expected.size(); ++i)
                    if (fresh.encode(std::string(kReferenceVectors[(i + size_t(t)) % expected.size()].text)) !=
                        expected[(i + size_t(t)) % expected.size()])
                        ++failures[size_t(t)];
        });
    for (auto& th : threads)
        th.join();
    for (int f : failures)
        EXPECT_EQ(f, 0);
}

TEST(ClipTokenizer, BadVocabularyFilesThrowNamingTheFile)
{
    const std::string dir = ::testing::TempDir();
    auto write = [&](const std::string& name, const std::string& content) {
        const std::string path = dir + name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    };
    auto expectFormatError = [](const std::string& path) {
        try {
            ClipTokenizer::fromFile(path);
            ADD_FAILURE() << "no exception for " << path;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Format);
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        }
    };
    expectFormatError(write("invseg_no_header.txt", "i n\nt h\n"));
    expectFormatError(write("invseg_short_merges.txt", "#version: 0.2\ni n\nt h\n"));
    expectFormatError(write("invseg_bad_line.txt", "#version: 0.2\ni n\nthree parts here\n"));
    try {
        ClipTokenizer::fromFile(dir + "invseg_does_not_exist.txt");
        ADD_FAILURE() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
    }
}

TEST(UnicodeTables, PropertiesAndLowercase)
{
    using namespace invseg::unicode;
    EXPECT_TRUE(isLetter(U'a'));
    EXPECT_TRUE(isLetter(0x65E5));  // CJK ideograph (Lo)
    EXPECT_TRUE(isLetter(0x02B0));  // modifier letter (Lm)
    EXPECT_FALSE(isLetter(0x0301)); // combining mark (Mn)
    EXPECT_FALSE(isLetter(U'1'));
    EXPECT_TRUE(isNumber(0x0663)); // Arabic-Indic digit (Nd)
    EXPECT_TRUE(isNumber(0x2165)); // Roman numeral (Nl)
    EXPECT_TRUE(isNumber(0x00BD)); // vulgar fraction (No)
    EXPECT_FALSE(isNumber(U'x'));
    for (char32_t c : {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028,
                       0x2029, 0x202F, 0x205F, 0x3000})
        EXPECT_TRUE(isSpace(c)) << std::hex << uint32_t(c);
    for (char32_t c : {char32_t(0x200B), char32_t(0x180E), char32_t(0xFEFF), U'x', char32_t(0)})
        EXPECT_FALSE(isSpace(c)) << std::hex << uint32_t(c);
    EXPECT_EQ(toLower(U"ABC\u00C0\u0100\u0130\u03A3"), U"abc\u00E0\u0101i\u0307\u03C2");
    EXPECT_EQ(toLower(U"\u039F\u0394\u039F\u03A3 \u03A3"), U"\u03BF\u03B4\u03BF\u03C2 \u03C3");
    EXPECT_EQ(toLower(U"\u0391\u03A3'\u0391"), U"\u03B1\u03C3'\u03B1"); // ' is case-ignorable: not final
    EXPECT_EQ(toLower(U"\u212A\u2160\U00010400"), U"k\u2170\U00010428");
}
