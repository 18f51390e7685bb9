// The CLIP byte-level BPE tokenizer that turns a prompt into the 77 token ids Stable Diffusion 1.x/2.x condition on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace invseg {

/// The tokenizer of openai/CLIP (clip/simple_tokenizer.py; transformers' CLIPTokenizer computes the same ids),
/// reproduced exactly except for ftfy.fix_text, which is skipped (it only changes mojibake and unusual Unicode):
///
///   1. html.unescape twice (every HTML5 named reference, numeric references with Python's fix-ups), strip;
///   2. whitespace runs (Python's str.isspace) become one space, strip; str.lower() (full Unicode, Final_Sigma);
///   3. split with <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
///      (case-insensitive), so every digit is its own word;
///   4. each word's UTF-8 bytes go through bytes_to_unicode and byte-pair merges by rank, with "</w>" on the last
///      symbol. A word that is literally "<|startoftext|>" or "<|endoftext|>" becomes that special token.
///
/// Input is UTF-8; invalid sequences are read as U+FFFD (never an error). Unicode data is Python's (see
/// core/src/text/gen_unicode_tables.py), not ICU's.
///
/// Thread-safety: all const methods may be called concurrently; the per-word BPE cache is internally locked.
/// Copies are cheap and share the vocabulary and the cache.
class ClipTokenizer {
public:
    static constexpr int64_t kBos = 49406; ///< <|startoftext|>
    static constexpr int64_t kEos = 49407; ///< <|endoftext|>; also SD1's pad id (SD2 pads with 0)
    static constexpr int64_t kVocabSize = 49408;
    static constexpr int64_t kNumMerges = 48894; ///< 49408 - 512 byte symbols - 2 specials
    static constexpr int64_t kContextLength = 77;

    /// Loads the merges from openai/CLIP's bpe_simple_vocab_16e6.txt(.gz) or from a diffusers/transformers
    /// tokenizer/merges.txt. Both start with a "#version" line followed by merges "a b", one per line; the first
    /// 48,894 merges are used (as CLIP does), and the vocabulary (vocab.json) is derived from them.
    /// Throws Error(Io) if the file cannot be read, Error(Format) naming the file (and line) if it is not such a
    /// file or has fewer than 48,894 merges.
    static ClipTokenizer fromFile(const std::string& path);

    /// The tokenizer of the bundled vocabulary resourcePath("clip/bpe_simple_vocab_16e6.txt.gz"), loaded once on
    /// first use (thread-safe). Throws like fromFile (and resourceDir) if that fails; a later call tries again.
    static const ClipTokenizer& bundled();

    /// The content token ids of text: no BOS/EOS, no truncation. "" gives {}.
    std::vector<int64_t> encode(const std::string& text) const;

    /// [kBos] + encode(text) + [kEos], truncated to maxLength keeping kEos last (maxLength - 2 content tokens at
    /// most), then padded with padId to exactly maxLength ids. SD1 pads with kEos (49407), SD2 with 0.
    /// Throws Error(InvalidInput) if maxLength < 2.
    std::vector<int64_t> encodePadded(const std::string& text, int64_t padId, int64_t maxLength = kContextLength) const;

    /// The vocabulary string of a token, as vocab.json spells it: bytes_to_unicode characters in UTF-8, with the
    /// end-of-word marker "</w>" kept ("cat</w>" for 2368, "<|endoftext|>" for 49407).
    /// Throws Error(InvalidInput) for an id outside [0, vocabSize()).
    std::string tokenString(int64_t id) const;

    /// The token of a vocabulary string (the inverse of tokenString), or -1 if there is none.
    int64_t tokenId(const std::string& tokenString) const;

    /// Readable text of ids: the original bytes of each token, "</w>" as a space, kBos/kEos left out, invalid
    /// UTF-8 replaced by U+FFFD, trailing spaces removed. decode(encode(t)) is t normalised (lower case, single
    /// spaces, unescaped), with a space added after words that the split separated without one ("don't" ->
    /// "don 't"). Throws Error(InvalidInput) for an id outside [0, vocabSize()).
    std::string decode(const std::vector<int64_t>& ids) const;

    /// 49408 for CLIP.
    int64_t vocabSize() const;

private:
    struct Impl;
    explicit ClipTokenizer(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

} // namespace invseg
