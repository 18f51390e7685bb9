// `invseg encode-text MODEL PROMPT`: the 77 token ids the model's tokenizer gives a prompt.
#include "args.h"
#include "cli.h"
#include "commands.h"
#include "invseg/checkpoint.h"
#include "invseg/tokenizer.h"

#include <iostream>
#include <optional>

namespace invseg::cli {
namespace {

const char* kHelp = R"(usage: invseg encode-text MODEL PROMPT [--tokens]

Prints the token ids (start token, the prompt's tokens, end token, padding to 77) that MODEL's text encoder
receives for PROMPT. The padding id follows the model: 49407 for Stable Diffusion 1.x, 0 for 2.x.

  --tokens   also print each token's text, one per line
)";

} // namespace

int cmdEncodeText(const Argv& argv)
{
    const Args args(argv, {}, {"tokens", "help"});
    if (args.has("help")) {
        std::cout << kHelp;
        return kExitOk;
    }
    if (args.positional().size() != 2)
        throw UsageError("encode-text takes MODEL and PROMPT");
    CheckpointOptions opt;
    opt.readUnet = false;
    opt.readVae = false;
    const Checkpoint ck = readCheckpoint(args.positional()[0], opt);
    std::optional<ClipTokenizer> own;
    if (!ck.tokenizerMerges.empty())
        own.emplace(ClipTokenizer::fromFile(ck.tokenizerMerges));
    const ClipTokenizer& tokenizer = own ? *own : ClipTokenizer::bundled();
    const auto ids = tokenizer.encodePadded(args.positional()[1], ck.textEncoder.padTokenId,
                                            ck.textEncoder.maxPositions);
    for (size_t i = 0; i < ids.size(); ++i)
        std::cout << (i ? " " : "") << ids[i];
    std::cout << "\n";
    if (args.has("tokens"))
        for (auto id : ids)
            std::cout << id << "\t" << tokenizer.tokenString(id) << "\n";
    return kExitOk;
}

} // namespace invseg::cli
