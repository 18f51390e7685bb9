// CLIP BPE tokenizer: openai/CLIP simple_tokenizer.py step by step, with the regex and Unicode data hand-coded.
#include "invseg/tokenizer.h"

#include "invseg/error.h"
#include "invseg/inflate.h"
#include "invseg/resources.h"
#include "text/unicode_tables.h"

#include <array>
#include <mutex>
#include <unordered_map>

namespace invseg {

namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr size_t kMaxCacheEntries = 1 << 17;

// ---- UTF-8 ----------------------------------------------------------------------------------------------------

/// Decodes UTF-8, replacing each maximal ill-formed subpart by U+FFFD (the Unicode / WHATWG practice, which is also
/// what Python's bytes.decode(errors="replace") does). Never throws.
std::u32string decodeUtf8(const std::string& in)
{
    std::u32string out;
    out.reserve(in.size());
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const size_t n = in.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) {
            out.push_back(b);
            ++i;
            continue;
        }
        int need = 0;
        char32_t cp = 0;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the first continuation byte
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
            cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            cp = b & 0x0F;
            if (b == 0xE0)
                lo = 0xA0; // no overlongs
            if (b == 0xED)
                hi = 0x9F; // no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            cp = b & 0x07;
            if (b == 0xF0)
                lo = 0x90;
            if (b == 0xF4)
                hi = 0x8F; // <= U+10FFFF
        } else {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        size_t j = i + 1;
        bool ok = true;
        for (int k = 0; k < need; ++k, ++j) {
            const unsigned char c = j < n ? s[j] : 0;
            const unsigned char l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
            if (j >= n || c < l || c > h) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        out.push_back(ok ? cp : kReplacement);
        i = j; // after an error, resume at the byte that broke the sequence
    }
    return out;
}

void appendUtf8(char32_t c, std::string& out)
{
    if (c < 0x80) {
        out.push_back(char(c));
    } else if (c < 0x800) {
        out.push_back(char(0xC0 | (c >> 6)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(char(0xE0 | (c >> 12)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (c >> 18)));
        out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(char(0x80 | (c & 0x3F)));
    }
}

std::string encodeUtf8(const char32_t* s, size_t n)
{
    std::string out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i)
        appendUtf8(s[i], out);
    return out;
}

// ---- Text clean-up (basic_clean, whitespace_clean, lower) -----------------------------------------------------

bool isAsciiDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}
bool isAsciiHex(char32_t c)
{
    return isAsciiDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int hexValue(char32_t c)
{
    return isAsciiDigit(c) ? int(c - '0') : int((c | 0x20) - 'a' + 10);
}

bool htmlPrefixLookup(const std::u32string& s, size_t begin, size_t len, std::u32string& value)
{
    std::string name;
    name.reserve(len);
    for (size_t k = 0; k < len; ++k) {
        const char32_t c = s[begin + k];
        if (c >= 0x80)
            return false; // every entity name is ASCII
        name.push_back(char(c));
    }
    return unicode::htmlNamedEntity(name, value);
}

/// Python's html.unescape: one left-to-right pass of
/// &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?) through html._replace_charref.
std::u32string htmlUnescape(const std::u32string& s)
{
    if (s.find(U'&') == std::u32string::npos)
        return s;
    std::u32string out;
    out.reserve(s.size());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        if (s[i] != U'&') {
            out.push_back(s[i++]);
            continue;
        }
        const size_t j = i + 1;
        if (j < n && s[j] == U'#') {
            const bool hex = j + 2 < n && (s[j + 1] == U'x' || s[j + 1] == U'X') && isAsciiHex(s[j + 2]);
            size_t k = hex ? j + 2 : j + 1;
            if (!hex && (k >= n || !isAsciiDigit(s[k]))) {
                out.push_back(s[i++]); // "&#" without digits is left alone
                continue;
            }
            uint64_t number = 0;
            for (; k < n && (hex ? isAsciiHex(s[k]) : isAsciiDigit(s[k])); ++k) {
                number = number * (hex ? 16 : 10) + uint64_t(hex ? hexValue(s[k]) : int(s[k] - '0'));
                if (number > 0x10FFFF)
                    number = 0x110000; // saturate: any larger number means U+FFFD as well
            }
            if (k < n && s[k] == U';')
                ++k;
            out += unicode::htmlNumericReference(number);
            i = k;
            continue;
        }
        size_t k = j;
        while (k < n && k - j < 32 && s[k] != U'\t' && s[k] != U'\n' && s[k] != U'\f' && s[k] != U' ' && s[k] != U'<' &&
               s[k] != U'&' && s[k] != U'#' && s[k] != U';')
            ++k;
        if (k == j) {
            out.push_back(s[i++]);
            continue;
        }
        if (k < n && s[k] == U';')
            ++k;
        const size_t len = k - j;
        std::u32string value;
        bool replaced = false;
        if (htmlPrefixLookup(s, j, len, value)) {
            out += value;
            replaced = true;
        } else {
            // The longest known prefix of at least two characters ("&ampfoo" -> "&foo"), as the standard says.
            for (size_t x = len - 1; x >= 2 && x < len; --x) {
                if (htmlPrefixLookup(s, j, x, value)) {
                    out += value;
                    out.append(s, j + x, len - x);
                    replaced = true;
                    break;
                }
            }
        }
        if (!replaced)
            out.append(s, i, k - i);
        i = k;
    }
    return out;
}

/// re.sub(r'\s+', ' ', text).strip(), with str.isspace as \s.
std::u32string collapseWhitespace(const std::u32string& s)
{
    std::u32string out;
    out.reserve(s.size());
    bool pendingSpace = false;
    for (char32_t c : s) {
        if (unicode::isSpace(c)) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out.push_back(U' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

// ---- The split regex ------------------------------------------------------------------------------------------

/// Simple case folding restricted to what the pattern's literals can meet in lower-cased text: U+017F LATIN SMALL
/// LETTER LONG S folds to 's' (the regex module matches it case-insensitively); all else is already lower case.
char32_t foldForLiteral(char32_t c)
{
    return c == 0x17F ? U's' : c;
}

bool matchesLiteral(const std::u32string& s, size_t i, const char* literal)
{
    size_t k = 0;
    for (; literal[k]; ++k)
        if (i + k >= s.size() || foldForLiteral(s[i + k]) != char32_t(static_cast<unsigned char>(literal[k])))
            return false;
    return true;
}

size_t literalLength(const char* literal)
{
    return std::char_traits<char>::length(literal);
}

/// Returns the pieces of <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
/// as regex.findall does: at each position the first alternative that matches wins; whitespace is skipped.
std::vector<std::u32string> splitWords(const std::u32string& s)
{
    static const char* const kSpecials[] = {"<|startoftext|>", "<|endoftext|>"};
    static const char* const kContractions[] = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
    std::vector<std::u32string> words;
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const char32_t c = s[i];
        size_t len = 0;
        if (c == U'<') {
            for (const char* lit : kSpecials)
                if (matchesLiteral(s, i, lit)) {
                    len = literalLength(lit);
                    break;
                }
        } else if (c == U'\'') {
            for (const char* lit : kContractions)
                if (matchesLiteral(s, i, lit)) {
                    len = literalLength(lit);
                    break;
                }
        }
        if (len == 0) {
            if (unicode::isLetter(c)) {
                len = 1;
                while (i + len < n && unicode::isLetter(s[i + len]))
                    ++len;
            } else if (unicode::isNumber(c)) {
                len = 1;
            } else if (!unicode::isSpace(c)) {
                len = 1;
                while (i + len < n && !unicode::isSpace(s[i + len]) && !unicode::isLetter(s[i + len]) &&
                       !unicode::isNumber(s[i + len]))
                    ++len;
            }
        }
        if (len == 0) {
            ++i; // whitespace: not part of any piece
            continue;
        }
        words.emplace_back(s, i, len);
        i += len;
    }
    return words;
}

// ---- bytes_to_unicode -----------------------------------------------------------------------------------------

struct ByteMap {
    std::array<char32_t, 256> charOfByte{}; // bytes_to_unicode()[b]
    std::array<int, 256> indexOfByte{};     // position of b in the vocabulary's first 256 entries
    std::array<int, 256> byteOfIndex{};     // inverse of indexOfByte
};

const ByteMap& byteMap()
{
    static const ByteMap map = [] {
        ByteMap m;
        // The printable bytes keep their code point; the other 68 get U+0100 + n in byte order. The vocabulary
        // lists the printable ones first (bs order), then the rest.
        std::vector<int> order;
        std::array<bool, 256> printable{};
        for (int b = 0; b < 256; ++b) {
            printable[size_t(b)] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[size_t(b)]) {
                m.charOfByte[size_t(b)] = char32_t(b);
                order.push_back(b);
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; ++b)
            if (!printable[size_t(b)]) {
                m.charOfByte[size_t(b)] = char32_t(256 + extra++);
                order.push_back(b);
            }
        for (int idx = 0; idx < 256; ++idx) {
            m.indexOfByte[size_t(order[size_t(idx)])] = idx;
            m.byteOfIndex[size_t(idx)] = order[size_t(idx)];
        }
        return m;
    }();
    return map;
}

const std::string kEndOfWord = "</w>";

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

/// Python's str.split() for a merge line (the vocabulary's characters are never Unicode whitespace).
std::vector<std::string> splitFields(const std::string& line)
{
    std::vector<std::string> fields;
    size_t i = 0;
    auto isWs = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; };
    while (i < line.size()) {
        while (i < line.size() && isWs(line[i]))
            ++i;
        size_t j = i;
        while (j < line.size() && !isWs(line[j]))
            ++j;
        if (j > i)
            fields.push_back(line.substr(i, j - i));
        i = j;
    }
    return fields;
}

uint64_t pairKey(int64_t a, int64_t b)
{
    return (uint64_t(a) << 32) | uint64_t(b);
}

} // namespace

// ---- ClipTokenizer --------------------------------------------------------------------------------------------

struct ClipTokenizer::Impl {
    struct Merge {
        int64_t rank;
        int64_t result;
    };

    std::vector<std::string> vocab;               // id -> vocabulary string (UTF-8)
    std::unordered_map<std::string, int64_t> ids; // string -> id (the later id wins, as Python's dict does)
    std::unordered_map<uint64_t, Merge> merges;   // (left id, right id) -> rank and merged id

    mutable std::mutex cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int64_t>> cache; // word bytes -> ids

    /// Byte-pair merging of one word (its UTF-8 bytes): symbols start as single bytes, the last one with "</w>";
    /// the pair of lowest rank is merged everywhere (left to right, non-overlapping) until no pair has a rank.
    std::vector<int64_t> bpe(const std::string& word) const
    {
        const ByteMap& bm = byteMap();
        std::vector<int64_t> symbols(word.size());
        for (size_t k = 0; k < word.size(); ++k)
            symbols[k] = bm.indexOfByte[static_cast<unsigned char>(word[k])];
        if (symbols.empty())
            return symbols;
        symbols.back() += 256; // the "</w>" form of the last byte
        std::vector<int64_t> next;
        while (symbols.size() > 1) {
            int64_t bestRank = -1;
            const Merge* best = nullptr;
            int64_t left = 0, right = 0;
            for (size_t k = 0; k + 1 < symbols.size(); ++k) {
                auto it = merges.find(pairKey(symbols[k], symbols[k + 1]));
                if (it != merges.end() && (best == nullptr || it->second.rank < bestRank)) {
                    best = &it->second;
                    bestRank = best->rank;
                    left = symbols[k];
                    right = symbols[k + 1];
                }
            }
            if (!best)
                break;
            next.clear();
            for (size_t k = 0; k < symbols.size();) {
                if (k + 1 < symbols.size() && symbols[k] == left && symbols[k + 1] == right) {
                    next.push_back(best->result);
                    k += 2;
                } else {
                    next.push_back(symbols[k++]);
                }
            }
            symbols.swap(next);
        }
        return symbols;
    }

    void encodeWord(const std::string& word, std::vector<int64_t>& out) const
    {
        {
            std::lock_guard<std::mutex> lock(cacheMutex);
            auto it = cache.find(word);
            if (it != cache.end()) {
                out.insert(out.end(), it->second.begin(), it->second.end());
                return;
            }
        }
        std::vector<int64_t> ids;
        // The reference seeds its cache with the two special tokens, so these words map to them directly.
        if (word == "<|startoftext|>")
            ids = {kBos};
        else if (word == "<|endoftext|>")
            ids = {kEos};
        else
            ids = bpe(word);
        out.insert(out.end(), ids.begin(), ids.end());
        std::lock_guard<std::mutex> lock(cacheMutex);
        if (cache.size() >= kMaxCacheEntries)
            cache.clear(); // a long-running process must not grow without bound
        cache.emplace(word, std::move(ids));
    }
};

ClipTokenizer::ClipTokenizer(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ClipTokenizer ClipTokenizer::fromFile(const std::string& path)
{
    const std::string text = readMaybeGzipFile(path);
    const std::vector<std::string> lines = splitLines(text);
    if (lines.empty() || lines[0].find("#version") == std::string::npos)
        throw Error(ErrorKind::Format, path + ": not a CLIP BPE merges file (the first line has no \"#version\")");

    auto impl = std::make_shared<Impl>();
    const ByteMap& bm = byteMap();
    impl->vocab.reserve(size_t(kVocabSize));
    for (int idx = 0; idx < 256; ++idx) {
        std::string s;
        appendUtf8(bm.charOfByte[size_t(bm.byteOfIndex[size_t(idx)])], s);
        impl->vocab.push_back(s);
    }
    for (int idx = 0; idx < 256; ++idx)
        impl->vocab.push_back(impl->vocab[size_t(idx)] + kEndOfWord);

    std::vector<std::pair<std::string, std::string>> mergePairs;
    mergePairs.reserve(size_t(kNumMerges));
    for (size_t l = 1; l < lines.size() && int64_t(mergePairs.size()) < kNumMerges; ++l) {
        std::vector<std::string> f = splitFields(lines[l]);
        if (f.size() != 2)
            throw Error(ErrorKind::Format, path + ": line " + std::to_string(l + 1) +
                                               " is not a merge \"a b\" (CLIP needs " + std::to_string(kNumMerges) +
                                               " merges, found " + std::to_string(mergePairs.size()) + ")");
        mergePairs.emplace_back(std::move(f[0]), std::move(f[1]));
    }
    if (int64_t(mergePairs.size()) < kNumMerges)
        throw Error(ErrorKind::Format, path + ": has " + std::to_string(mergePairs.size()) +
                                           " merges, a CLIP vocabulary needs " + std::to_string(kNumMerges));
    for (const auto& m : mergePairs)
        impl->vocab.push_back(m.first + m.second);
    impl->vocab.push_back("<|startoftext|>");
    impl->vocab.push_back("<|endoftext|>");

    impl->ids.reserve(impl->vocab.size());
    for (size_t id = 0; id < impl->vocab.size(); ++id)
        impl->ids[impl->vocab[id]] = int64_t(id);

    // A pair's parts and result are looked up by string, so a merge whose parts can never be formed is dropped,
    // and a repeated pair keeps its later rank (Python's dict(zip(merges, range(...)))).
    impl->merges.reserve(mergePairs.size());
    for (size_t r = 0; r < mergePairs.size(); ++r) {
        const auto& [a, b] = mergePairs[r];
        auto ia = impl->ids.find(a), ib = impl->ids.find(b), ir = impl->ids.find(a + b);
        if (ia == impl->ids.end() || ib == impl->ids.end() || ir == impl->ids.end())
            continue;
        impl->merges[pairKey(ia->second, ib->second)] = Impl::Merge{int64_t(r), ir->second};
    }
    return ClipTokenizer(std::move(impl));
}

const ClipTokenizer& ClipTokenizer::bundled()
{
    static const ClipTokenizer tokenizer = fromFile(resourcePath("clip/bpe_simple_vocab_16e6.txt.gz"));
    return tokenizer;
}

std::vector<int64_t> ClipTokenizer::encode(const std::string& text) const
{
    std::u32string s = decodeUtf8(text);
    s = htmlUnescape(htmlUnescape(s));
    s = unicode::toLower(collapseWhitespace(s)); // collapsing also strips, covering basic_clean's strip()

    std::vector<int64_t> ids;
    for (const std::u32string& word : splitWords(s))
        m_impl->encodeWord(encodeUtf8(word.data(), word.size()), ids);
    return ids;
}

std::vector<int64_t> ClipTokenizer::encodePadded(const std::string& text, int64_t padId, int64_t maxLength) const
{
    if (maxLength < 2)
        throw Error(ErrorKind::InvalidInput, "token sequence length " + std::to_string(maxLength) +
                                                 " is too short for <|startoftext|> and <|endoftext|>");
    std::vector<int64_t> content = encode(text);
    if (int64_t(content.size()) > maxLength - 2)
        content.resize(size_t(maxLength - 2));
    std::vector<int64_t> ids;
    ids.reserve(size_t(maxLength));
    ids.push_back(kBos);
    ids.insert(ids.end(), content.begin(), content.end());
    ids.push_back(kEos);
    ids.resize(size_t(maxLength), padId);
    return ids;
}

std::string ClipTokenizer::tokenString(int64_t id) const
{
    if (id < 0 || id >= vocabSize())
        throw Error(ErrorKind::InvalidInput, "token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                                                 std::to_string(vocabSize()) + ")");
    return m_impl->vocab[size_t(id)];
}

int64_t ClipTokenizer::tokenId(const std::string& token) const
{
    auto it = m_impl->ids.find(token);
    return it == m_impl->ids.end() ? -1 : it->second;
}

std::string ClipTokenizer::decode(const std::vector<int64_t>& ids) const
{
    // Characters of a vocabulary string are bytes_to_unicode characters (all < U+0200): map them back to bytes.
    std::array<int, 512> byteOfChar{};
    byteOfChar.fill(-1);
    const ByteMap& bm = byteMap();
    for (int b = 0; b < 256; ++b)
        byteOfChar[size_t(bm.charOfByte[size_t(b)])] = b;

    std::string bytes;
    for (int64_t id : ids) {
        std::string token = tokenString(id);
        if (id == kBos || id == kEos)
            continue;
        const bool endOfWord = endsWith(token, kEndOfWord);
        if (endOfWord)
            token.resize(token.size() - kEndOfWord.size());
        for (char32_t c : decodeUtf8(token))
            if (c < byteOfChar.size() && byteOfChar[c] >= 0)
                bytes.push_back(char(byteOfChar[c]));
        if (endOfWord)
            bytes.push_back(' ');
    }
    while (!bytes.empty() && bytes.back() == ' ')
        bytes.pop_back();
    const std::u32string valid = decodeUtf8(bytes);
    return encodeUtf8(valid.data(), valid.size());
}

int64_t ClipTokenizer::vocabSize() const
{
    return int64_t(m_impl->vocab.size());
}

} // namespace invseg
