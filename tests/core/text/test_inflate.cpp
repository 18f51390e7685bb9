// Tests of gunzip and readMaybeGzipFile (invseg/inflate.h, over zlib) against vectors made with Python's zlib/gzip:
// multi-member streams, the output limit, truncation and corruption, and the bundled vocabulary.
#include "invseg/error.h"
#include "invseg/inflate.h"
#include "invseg/resources.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using invseg::Error;
using invseg::ErrorKind;

namespace {

std::string toString(const std::vector<uint8_t>& v)
{
    return std::string(v.begin(), v.end());
}

template <size_t N>
std::vector<uint8_t> bytes(const uint8_t (&a)[N])
{
    return std::vector<uint8_t>(a, a + N);
}

// Raw deflate (level 9, one dynamic block) of the word sequence built by dynamicText().
const uint8_t kDynamic[] = {0xed, 0xcc, 0x51, 0x0a, 0x80, 0x40, 0x08, 0x04, 0xd0, 0xab, 0x78, 0xb5, 0x61, 0x13,
                            0xb4, 0x95, 0x8c, 0xd8, 0xbd, 0x7f, 0x8b, 0xd5, 0x21, 0x82, 0xf9, 0x11, 0x9d, 0x91,
                            0x87, 0x38, 0x0d, 0xd2, 0x3d, 0x52, 0xfc, 0xd8, 0x1c, 0x62, 0x39, 0x34, 0xde, 0xf9,
                            0x24, 0x55, 0xa2, 0xfe, 0xb4, 0x59, 0xca, 0x3e, 0xc3, 0x75, 0x48, 0x33, 0x5c, 0x6b,
                            0xf9, 0xce, 0xaa, 0x40, 0x8d, 0x1a, 0x35, 0x6a, 0xd4, 0xa8, 0xfd, 0x49, 0xbb, 0x01};

std::string dynamicText()
{
    const char* words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
                           "hotel", "india", "juliet",  "kilo",  "lima", "mike"};
    std::string s;
    for (int i = 0; i < 300; ++i) {
        if (i)
            s += ' ';
        s += words[(i * i * 7 + 3 * i) % 13];
    }
    return s;
}

/// kDynamic as a gzip member: a 10-byte header, the raw stream, then the CRC-32 and length of dynamicText().
std::vector<uint8_t> gzipDynamic()
{
    std::vector<uint8_t> v{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff};
    v.insert(v.end(), std::begin(kDynamic), std::end(kDynamic));
    const std::string text = dynamicText();
    const auto crc = uint32_t(::crc32(0L, reinterpret_cast<const Bytef*>(text.data()), uInt(text.size())));
    for (uint32_t word : {crc, uint32_t(text.size())})
        for (int i = 0; i < 4; ++i)
            v.push_back(uint8_t(word >> (8 * i)));
    return v;
}

// gzip.GzipFile(filename="member.txt", mtime=0) of "first member, " (FNAME set).
const uint8_t kGzipNamed[] = {0x1f, 0x8b, 0x08, 0x08, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0x6d, 0x65, 0x6d, 0x62, 0x65,
                              0x72, 0x2e, 0x74, 0x78, 0x74, 0x00, 0x4b, 0xcb, 0x2c, 0x2a, 0x2e, 0x51, 0xc8, 0x4d, 0xcd,
                              0x4d, 0x4a, 0x2d, 0xd2, 0x51, 0x00, 0x00, 0xde, 0xff, 0x0a, 0x62, 0x0e, 0x00, 0x00, 0x00};
// gzip.compress(b"second member", mtime=0).
const uint8_t kGzipPlain[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2b,
                              0x4e, 0x4d, 0xce, 0xcf, 0x4b, 0x51, 0xc8, 0x4d, 0xcd, 0x4d, 0x4a,
                              0x2d, 0x02, 0x00, 0x24, 0x74, 0xfa, 0x9f, 0x0d, 0x00, 0x00, 0x00};

std::string vocabPath()
{
    return invseg::resourcePath("clip/bpe_simple_vocab_16e6.txt.gz");
}

std::vector<uint8_t> readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

TEST(Inflate, OutputCapIsEnforced)
{
    const auto v = gzipDynamic();
    const size_t n = dynamicText().size();
    EXPECT_EQ(toString(invseg::gunzip(v.data(), v.size(), n)), dynamicText());
    try {
        invseg::gunzip(v.data(), v.size(), n - 1);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find(std::to_string(n - 1)), std::string::npos) << e.what();
    }
}

TEST(Inflate, GzipHeaderFieldsAndConcatenatedMembers)
{
    const auto named = bytes(kGzipNamed);
    EXPECT_EQ(toString(invseg::gunzip(named.data(), named.size())), "first member, ");
    auto both = named;
    both.insert(both.end(), std::begin(kGzipPlain), std::end(kGzipPlain));
    EXPECT_EQ(toString(invseg::gunzip(both.data(), both.size())), "first member, second member");
    // Garbage after a member is corruption.
    both.push_back(0x00);
    EXPECT_THROW(invseg::gunzip(both.data(), both.size()), Error);
}

TEST(Inflate, EveryTruncationOfAGzipStreamThrows)
{
    const auto v = bytes(kGzipNamed);
    for (size_t n = 0; n < v.size(); ++n)
        EXPECT_THROW(invseg::gunzip(v.data(), n), Error) << "length " << n;
}

TEST(Inflate, CorruptGzipThrows)
{
    auto v = bytes(kGzipPlain);
    // Bad magic.
    auto m = v;
    m[0] = 0x1e;
    EXPECT_THROW(invseg::gunzip(m.data(), m.size()), Error);
    // Flipped CRC byte, flipped length byte.
    for (size_t at : {v.size() - 8, v.size() - 1}) {
        auto c = v;
        c[at] ^= 0x40;
        try {
            invseg::gunzip(c.data(), c.size());
            FAIL() << "no exception for a flipped byte at " << at;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::Format);
        }
    }
    // Every single-bit flip inside the compressed payload is detected (by the decoder or by the CRC). The last
    // payload byte is left out: its high bits are padding after end-of-block, which decoders ignore.
    for (size_t at = 10; at < v.size() - 9; ++at)
        for (int bit = 0; bit < 8; ++bit) {
            auto c = v;
            c[at] ^= uint8_t(1u << bit);
            EXPECT_THROW(invseg::gunzip(c.data(), c.size()), Error) << "byte " << at << " bit " << bit;
        }
}

TEST(Inflate, ClipVocabularyDecompresses)
{
    const std::string text = invseg::readMaybeGzipFile(vocabPath());
    EXPECT_EQ(text.size(), 3194984u);
    // Python's text.split('\n') gives 262,146 lines (the file ends with a newline).
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n') + 1, 262146);
    EXPECT_EQ(text.substr(0, text.find('\n')), "\"bpe_simple_vocab_16e6.txt#version: 0.2");
    EXPECT_EQ(text.substr(text.size() - 9), "\nscare d\n");
}

TEST(Inflate, CorruptVocabularyThrowsNamingTheFile)
{
    auto data = readFile(vocabPath());
    ASSERT_GT(data.size(), 1000u);
    data[data.size() / 2] ^= 0x10;
    const std::string path = ::testing::TempDir() + "invseg_corrupt_vocab.txt.gz";
    {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    }
    try {
        invseg::readMaybeGzipFile(path);
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Format);
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    // Truncated file.
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size() / 3));
    }
    EXPECT_THROW(invseg::readMaybeGzipFile(path), Error);
    std::remove(path.c_str());
}

TEST(Inflate, MissingFileIsAnIoError)
{
    try {
        invseg::readMaybeGzipFile("/nonexistent/dir/vocab.txt.gz");
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Io);
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/vocab.txt.gz"), std::string::npos);
    }
}

TEST(Inflate, PlainFileIsReadAsIs)
{
    const std::string path = ::testing::TempDir() + "invseg_plain.txt";
    {
        std::ofstream out(path, std::ios::binary);
        out << "plain\ntext";
    }
    EXPECT_EQ(invseg::readMaybeGzipFile(path), "plain\ntext");
    std::remove(path.c_str());
}
