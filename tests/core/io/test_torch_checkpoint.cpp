// Tests of the PyTorch zip checkpoint reader: fixtures written by torch.save (tests/data/ckpt/make_fixtures.py),
// and malformed or hostile archives whose bytes are spelled out here.
#include "io_test_support.h"

#include "invseg/error.h"
#include "invseg/tensor_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

using ::testing::HasSubstr;

namespace invseg::test {
namespace {

std::string fixture(const std::string& name)
{
    return std::string(INVSEG_TEST_DATA_DIR) + "/ckpt/" + name;
}

auto openCkpt = [](const std::string& path) { return openTorchCheckpoint(path); };

/// Expects opening + reading the bytes to fail with an invseg::Error of this kind whose message names the file
/// and contains `what`.
void expectRejected(const std::string& bytes, ErrorKind kind, const std::string& what)
{
    TempFile file(bytes, ".ckpt");
    ErrorKind got = ErrorKind::Internal;
    const std::string message = errorOf(openCkpt, file.path(), &got);
    EXPECT_THAT(message, HasSubstr(what));
    EXPECT_THAT(message, HasSubstr(file.path()));
    EXPECT_EQ(errorKindName(got), std::string(errorKindName(kind))) << message;
}

torch::Tensor arangeF(int n)
{
    return torch::arange(n, torch::kFloat32);
}

void expectEqual(const torch::Tensor& actual, const torch::Tensor& expected)
{
    ASSERT_EQ(actual.scalar_type(), expected.scalar_type());
    ASSERT_EQ(actual.sizes(), expected.sizes());
    EXPECT_TRUE(torch::equal(actual, expected)) << actual << "\nexpected\n" << expected;
}

// --- fixtures written by torch.save ----------------------------------------------------------------------------

TEST(TorchCheckpoint, ReadsPlainDictOfTensors)
{
    auto f = openTorchCheckpoint(fixture("plain_f32.pt"));
    EXPECT_EQ(f->format(), "pickle");
    EXPECT_EQ(f->path(), fixture("plain_f32.pt"));
    EXPECT_EQ(f->keys(), (std::vector<std::string>{"bias", "weight"}));
    EXPECT_EQ(f->info("weight").dtype, "F32");
    EXPECT_EQ(f->info("weight").shape, (std::vector<int64_t>{3, 4}));
    expectEqual(f->tensor("weight"), arangeF(12).reshape({3, 4}));
    expectEqual(f->tensor("bias"), arangeF(4) * -1);
    EXPECT_TRUE(f->metadata().empty());
}

TEST(TorchCheckpoint, UnwrapsStateDictAndDropsTrainingState)
{
    auto f = openTorchCheckpoint(fixture("wrapped_mixed.ckpt"));
    const std::vector<std::string> expected{
        "empty",  "model.bf16",  "model.f16",    "model.f32",      "model.position_ids", "nested.inner.x",
        "scalar", "shared.base", "shared.slice", "shared.strided", "shared.transposed"};
    EXPECT_EQ(f->keys(), expected);
    EXPECT_FALSE(f->contains("global_step"));
    EXPECT_FALSE(f->contains("nested.note"));
}

TEST(TorchCheckpoint, ReadsFloatHalfBFloatAndLongValues)
{
    auto f = openTorchCheckpoint(fixture("wrapped_mixed.ckpt"));
    EXPECT_EQ(f->info("model.f32").dtype, "F32");
    EXPECT_EQ(f->info("model.f16").dtype, "F16");
    EXPECT_EQ(f->info("model.bf16").dtype, "BF16");
    EXPECT_EQ(f->info("model.position_ids").dtype, "I64");
    expectEqual(f->tensor("model.f32"), arangeF(6).reshape({2, 3}));
    expectEqual(f->tensor("model.f16"), (arangeF(8) / 4).to(torch::kFloat16).reshape({2, 4}));
    expectEqual(f->tensor("model.bf16"), (arangeF(5) - 2).to(torch::kBFloat16));
    expectEqual(f->tensor("model.position_ids"), torch::arange(77, torch::kInt64).reshape({1, 77}));
    expectEqual(f->tensor("nested.inner.x"), torch::arange(3, torch::kInt64));
}

TEST(TorchCheckpoint, HonoursStorageOffsetsAndStrides)
{
    auto f = openTorchCheckpoint(fixture("wrapped_mixed.ckpt"));
    const auto base = arangeF(20);
    expectEqual(f->tensor("shared.base"), base);
    expectEqual(f->tensor("shared.slice"), base.slice(0, 5, 11).view({2, 3}));
    const auto transposed = f->tensor("shared.transposed");
    expectEqual(transposed, base.view({4, 5}).t());
    EXPECT_TRUE(transposed.is_contiguous());
    EXPECT_EQ(f->info("shared.transposed").shape, (std::vector<int64_t>{5, 4}));
    expectEqual(f->tensor("shared.strided"), base.slice(0, 1, 20, 3));
}

TEST(TorchCheckpoint, ReadsZeroDimAndZeroSizeTensors)
{
    auto f = openTorchCheckpoint(fixture("wrapped_mixed.ckpt"));
    const auto scalar = f->tensor("scalar");
    EXPECT_EQ(scalar.dim(), 0);
    EXPECT_EQ(scalar.item<float>(), 3.5f);
    EXPECT_TRUE(f->info("scalar").shape.empty());
    EXPECT_EQ(f->info("scalar").numel(), 1);
    const auto empty = f->tensor("empty");
    EXPECT_EQ(empty.sizes(), (std::vector<int64_t>{0, 3}));
    EXPECT_EQ(f->info("empty").numel(), 0);
}

TEST(TorchCheckpoint, TensorsOutliveTheFileAndMayBeModifiedInPlace)
{
    torch::Tensor t;
    {
        auto f = openTorchCheckpoint(fixture("plain_f32.pt"));
        t = f->tensor("weight");
    }
    expectEqual(t, arangeF(12).reshape({3, 4})); // the view keeps the map alive
    t.add_(1);                                   // copy-on-write: no fault, and the file is untouched
    expectEqual(openTorchCheckpoint(fixture("plain_f32.pt"))->tensor("weight"), arangeF(12).reshape({3, 4}));
}

TEST(TorchCheckpoint, ReadsProtocol4AndParameters)
{
    auto f = openTorchCheckpoint(fixture("protocol4.pt"));
    EXPECT_EQ(f->keys(), (std::vector<std::string>{"buffer", "param"}));
    expectEqual(f->tensor("param"), arangeF(6).reshape({3, 2}));
    expectEqual(f->tensor("buffer"), torch::arange(4, torch::kInt64));
}

TEST(TorchCheckpoint, ReadsModuleStateDictWithMetadata)
{
    auto f = openTorchCheckpoint(fixture("module_state.pt"));
    EXPECT_EQ(f->keys(), (std::vector<std::string>{"0.bias", "0.weight", "1.bias", "1.weight"}));
    expectEqual(f->tensor("0.weight"), arangeF(6).reshape({2, 3}));
    expectEqual(f->tensor("0.bias"), arangeF(2) + 10);
    expectEqual(f->tensor("1.weight"), arangeF(2) + 20);
    expectEqual(f->tensor("1.bias"), arangeF(2) + 30);
}

TEST(TorchCheckpoint, ReadsEveryStorageType)
{
    auto f = openTorchCheckpoint(fixture("dtypes.pt"));
    expectEqual(f->tensor("f64"), torch::arange(3, torch::kFloat64) / 2);
    expectEqual(f->tensor("i32"), torch::arange(3, torch::kInt32) - 1);
    expectEqual(f->tensor("i16"), torch::arange(3, torch::kInt16) - 2);
    expectEqual(f->tensor("i8"), torch::arange(3, torch::kInt8) - 3);
    expectEqual(f->tensor("u8"), torch::arange(3, torch::kUInt8) + 250);
    expectEqual(f->tensor("bool"), torch::tensor({true, false, true}));
    const std::map<std::string, std::string> dtypes{{"f64", "F64"}, {"i32", "I32"}, {"i16", "I16"},
                                                    {"i8", "I8"},   {"u8", "U8"},   {"bool", "BOOL"}};
    for (const auto& [key, dtype] : dtypes)
        EXPECT_EQ(f->info(key).dtype, dtype) << key;
}

TEST(TorchCheckpoint, InflatesDeflatedEntries)
{
    auto stored = openTorchCheckpoint(fixture("wrapped_mixed.ckpt"));
    auto deflated = openTorchCheckpoint(fixture("deflated.ckpt"));
    ASSERT_EQ(deflated->keys(), stored->keys());
    for (const auto& key : stored->keys())
        expectEqual(deflated->tensor(key), stored->tensor(key));
}

TEST(TorchCheckpoint, UnknownKeyIsAKeyError)
{
    auto f = openTorchCheckpoint(fixture("plain_f32.pt"));
    try {
        f->tensor("nope");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Key);
        EXPECT_THAT(e.what(), HasSubstr("'nope'"));
        EXPECT_THAT(e.what(), HasSubstr("plain_f32.pt"));
    }
}

TEST(TorchCheckpoint, OpenTensorFileChoosesByContent)
{
    EXPECT_EQ(openTensorFile(fixture("wrapped_mixed.ckpt"))->format(), "pickle");
    const std::string header = R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    TempFile st(le64(header.size()) + header + floatRange(2), ".ckpt"); // the name does not matter
    auto f = openTensorFile(st.path());
    EXPECT_EQ(f->format(), "safetensors");
    expectEqual(f->tensor("x"), arangeF(2));
}

TEST(TorchCheckpoint, OpenTensorFileNamesLegacyFormats)
{
    TempFile legacy(std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15));
    EXPECT_THAT(errorOf(openTensorFile, legacy.path()), HasSubstr("legacy"));
    TempFile missing("");
    const std::string gone = missing.path() + ".gone";
    ErrorKind kind = ErrorKind::Internal;
    EXPECT_THAT(errorOf(openTensorFile, gone, &kind), HasSubstr(gone));
    EXPECT_EQ(kind, ErrorKind::Io);
}

// --- hand-built archives: valid ----------------------------------------------------------------------------------

TEST(TorchCheckpoint, ReadsHandBuiltArchiveAndZip64)
{
    const std::string pickle = pk::proto2() +
                               pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", "0", 6), 0, {2, 3}, {3, 1})}}) +
                               pk::stop();
    for (bool zip64 : {false, true}) {
        TempFile file(torchZip(pickle, {{"0", floatRange(6)}}, zip64), ".ckpt");
        auto f = openTorchCheckpoint(file.path());
        EXPECT_EQ(f->keys(), std::vector<std::string>{"w"}) << "zip64 " << zip64;
        expectEqual(f->tensor("w"), arangeF(6).reshape({2, 3}));
    }
}

TEST(TorchCheckpoint, CopiesMisalignedRecords)
{
    // The record's offset in the file depends on the member names; pick a key that puts the floats at an offset
    // that is not a multiple of 4. The reader must copy rather than hand out a misaligned view.
    for (const std::string key : {"k", "ke", "key", "keyz"}) {
        const std::string pickle = pk::proto2() +
                                   pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", key, 4), 0, {4}, {1})}}) +
                                   pk::stop();
        const std::string zip = torchZip(pickle, {{key, floatRange(4)}});
        if (zip.find(floatRange(4)) % 4 == 0)
            continue;
        TempFile file(zip, ".ckpt");
        const auto t = openTorchCheckpoint(file.path())->tensor("w");
        EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data_ptr()) % 4, 0u);
        expectEqual(t, arangeF(4));
        return;
    }
    FAIL() << "no key length gave a misaligned record";
}

TEST(TorchCheckpoint, SelfReferencingDictsTerminate)
{
    // d = {}; d["self"] = d; d["w"] = tensor: the cycle must neither hang nor recurse forever.
    const std::string pickle = pk::proto2() + std::string("}q\x00(", 4) + pk::str("self") + std::string("h\x00", 2) +
                               pk::str("w") + pk::tensor(pk::storage("FloatStorage", "0", 2), 0, {2}, {1}) + "u" +
                               pk::stop();
    TempFile file(torchZip(pickle, {{"0", floatRange(2)}}), ".ckpt");
    auto f = openTorchCheckpoint(file.path());
    EXPECT_EQ(f->keys(), std::vector<std::string>{"w"});
    expectEqual(f->tensor("w"), arangeF(2));
}

// --- refusals: code execution ------------------------------------------------------------------------------------

TEST(TorchCheckpointRefuses, OsSystemViaReduce)
{
    const std::string pickle = pk::proto2() + pk::global("os", "system") + "(" +
                               pk::str("echo pwned > /tmp/invseg_pwned") + "tR" + pk::stop();
    expectRejected(torchZip(pickle), ErrorKind::Format, "refusing to unpickle: calls os.system");
    EXPECT_FALSE(std::ifstream("/tmp/invseg_pwned").good());
}

TEST(TorchCheckpointRefuses, PosixSystemViaStackGlobalInsideAStateDict)
{
    // Protocol 4 spelling; the call hides in a tensor's backward-hooks argument inside the state dict.
    const std::string call = "\x8c\x05posix\x8c\x06system\x93(" + pk::str("id") + "tR";
    const std::string tensor = pk::global("torch._utils", "_rebuild_tensor_v2") + "(" +
                               pk::storage("FloatStorage", "0", 2) + pk::integer(0) + pk::ints({2}) + pk::ints({1}) +
                               "\x89" + call + "tR";
    const std::string pickle = "\x80\x04" + pk::dict({{"state_dict", pk::dict({{"w", tensor}})}}) + pk::stop();
    expectRejected(torchZip(pickle, {{"0", floatRange(2)}}), ErrorKind::Format,
                   "refusing to unpickle: calls posix.system");
}

TEST(TorchCheckpointRefuses, NewObjInstObjAndBuildOnUnknownGlobals)
{
    expectRejected(torchZip(pk::proto2() + pk::global("subprocess", "Popen") + ")\x81" + pk::stop()), ErrorKind::Format,
                   "calls subprocess.Popen");
    expectRejected(torchZip(pk::proto2() + "(" + pk::str("ls") + "ios\nsystem\n" + pk::stop()), ErrorKind::Format,
                   "calls os.system");
    expectRejected(torchZip(pk::proto2() + "(" + pk::global("builtins", "eval") + pk::str("1") + "o" + pk::stop()),
                   ErrorKind::Format, "calls builtins.eval");
    expectRejected(torchZip(pk::proto2() + pk::global("builtins", "object") + "}b" + pk::stop()), ErrorKind::Format,
                   "calls builtins.object");
}

TEST(TorchCheckpointRefuses, UnknownGlobalCalledByRealTorchSave)
{
    // argparse.Namespace in the checkpoint, as training scripts often store their args: harmless, but refused.
    expectRejected(readFileBytes(fixture("namespace_args.ckpt")), ErrorKind::Format,
                   "refusing to unpickle: calls argparse.Namespace");
}

TEST(TorchCheckpointRefuses, CallingAStorageTypeOrABuiltinLookalike)
{
    expectRejected(torchZip(pk::proto2() + pk::global("torch", "FloatStorage") + ")R" + pk::stop()), ErrorKind::Format,
                   "calls torch.FloatStorage");
    expectRejected(
        torchZip(pk::proto2() + pk::global("torch._utils", "_rebuild_device_tensor_from_numpy") + ")R" + pk::stop()),
        ErrorKind::Format, "calls torch._utils._rebuild_device_tensor_from_numpy");
    expectRejected(torchZip(pk::proto2() + pk::global("collections", "OrderedDictX") + ")R" + pk::stop()),
                   ErrorKind::Format, "calls collections.OrderedDictX");
}

TEST(TorchCheckpointRefuses, ExtensionCodesAndOutOfBandBuffers)
{
    expectRejected(torchZip(pk::proto2() + "\x82\x01)R" + pk::stop()), ErrorKind::Format, "extension registry");
    expectRejected(torchZip("\x80\x05\x97" + pk::stop()), ErrorKind::Format, "out-of-band");
}

// --- malformed archives ------------------------------------------------------------------------------------------

const std::string kGoodPickle = pk::proto2() +
                                pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", "0", 4), 0, {4}, {1})}}) +
                                pk::stop();

TEST(TorchCheckpointMalformed, EmptyAndTruncatedFiles)
{
    expectRejected("", ErrorKind::Format, "0 bytes long");
    const std::string whole = readFileBytes(fixture("wrapped_mixed.ckpt"));
    expectRejected(whole.substr(0, whole.size() / 2), ErrorKind::Format, "failed finding central directory");
    // Every prefix of a real checkpoint fails cleanly (no crash, no other exception type).
    const std::string small = readFileBytes(fixture("plain_f32.pt"));
    for (size_t n = 0; n < small.size(); ++n) {
        TempFile file(small.substr(0, n), ".pt");
        EXPECT_THAT(errorOf(openCkpt, file.path()), HasSubstr(file.path())) << "prefix of " << n << " bytes";
    }
}

TEST(TorchCheckpointMalformed, EntryOffsetsPastEndOfFile)
{
    std::string zip = torchZip(kGoodPickle, {{"0", floatRange(4)}});
    // Point the first central directory record's local header offset (at +42) far past EOF.
    const size_t cd = zip.find(std::string("PK\x01\x02", 4));
    ASSERT_NE(cd, std::string::npos);
    std::string bad = zip;
    bad.replace(cd + 42, 4, le32(0x7FFFFFF0));
    expectRejected(bad, ErrorKind::Format, "invalid header or archive is corrupted");
    // Claim more data than the file holds (compressed and uncompressed sizes at +20 and +24).
    bad = zip;
    bad.replace(cd + 20, 8, le32(0x7FFFFFF0) + le32(0x7FFFFFF0));
    expectRejected(bad, ErrorKind::Format, "invalid header or archive is corrupted");
    // A central directory that starts past EOF.
    bad = zip;
    bad.replace(bad.size() - 6, 4, le32(0x7FFFFFF0));
    expectRejected(bad, ErrorKind::Format, "invalid header or archive is corrupted");
}

TEST(TorchCheckpointMalformed, AbsurdEntryCounts)
{
    std::string zip = torchZip(kGoodPickle, {{"0", floatRange(4)}});
    zip.replace(zip.size() - 14, 4, le16(0xFFFE) + le16(0xFFFE)); // entries on this disk, entries in all
    expectRejected(zip, ErrorKind::Format, "invalid header or archive is corrupted");
}

TEST(TorchCheckpointMalformed, StorageKeyMissingFromTheArchive)
{
    expectRejected(torchZip(kGoodPickle, {{"1", floatRange(4)}}), ErrorKind::Format, "no record 'data/0'");
}

TEST(TorchCheckpointMalformed, NumelLargerThanTheStorageRecord)
{
    const std::string pickle = pk::proto2() +
                               pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", "0", 1000), 0, {4}, {1})}}) +
                               pk::stop();
    expectRejected(torchZip(pickle, {{"0", floatRange(4)}}), ErrorKind::Format, "holds only 16 bytes");
}

TEST(TorchCheckpointMalformed, ViewsReachingPastTheStorage)
{
    auto withTensor = [](int64_t offset, std::vector<int64_t> size, std::vector<int64_t> stride) {
        return torchZip(pk::proto2() +
                            pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", "0", 4), offset, size, stride)}}) +
                            pk::stop(),
                        {{"0", floatRange(4)}});
    };
    expectRejected(withTensor(0, {5}, {1}), ErrorKind::Format, "reaches element 4");
    expectRejected(withTensor(3, {2}, {1}), ErrorKind::Format, "reaches element 4");
    expectRejected(withTensor(0, {2, 2}, {1, 4}), ErrorKind::Format, "reaches element 5");
    expectRejected(withTensor(0, {4, 4}, {0, 1}), ErrorKind::Unsupported, "expanded view");
}

TEST(TorchCheckpointMalformed, HugeDeclaredSizes)
{
    auto withTensor = [](int64_t numel, std::vector<int64_t> size, std::vector<int64_t> stride) {
        return torchZip(pk::proto2() +
                            pk::dict({{"w", pk::tensor(pk::storage("FloatStorage", "0", numel), 0, size, stride)}}) +
                            pk::stop(),
                        {{"0", floatRange(4)}});
    };
    expectRejected(withTensor(INT64_MAX / 2, {4}, {1}), ErrorKind::Format, "holds only 16 bytes");
    expectRejected(withTensor(4, {int64_t(1) << 40, int64_t(1) << 40}, {1, 1}), ErrorKind::Format,
                   "element count overflows");
    expectRejected(withTensor(4, {int64_t(1) << 40, int64_t(1) << 40, 0}, {1, 1, 1}), ErrorKind::Format,
                   "element count overflows");
    expectRejected(withTensor(4, {2, 2}, {INT64_MAX, 1}), ErrorKind::Format, "strides that overflow");
    std::vector<int64_t> manyDims(65, 1);
    expectRejected(withTensor(4, manyDims, manyDims), ErrorKind::Format, "65 dimensions");
    // A string length far beyond the pickle, a memo index far beyond any real one.
    expectRejected(torchZip(pk::proto2() + "X" + le32(0xFFFFFFF0) + "abc"), ErrorKind::Format, "truncated");
    expectRejected(torchZip(pk::proto2() + "\x8d" + le64(UINT64_MAX) + "abc"), ErrorKind::Format, "truncated");
    expectRejected(torchZip(pk::proto2() + "}r" + le32(0xFFFFFFFF) + pk::stop()), ErrorKind::Format, "memo index");
}

TEST(TorchCheckpointMalformed, BrokenPickles)
{
    expectRejected(torchZip(pk::proto2() + "}"), ErrorKind::Format, "without STOP");
    expectRejected(torchZip(pk::proto2() + "I1\n."), ErrorKind::Format, "unsupported opcode 0x49");
    expectRejected(torchZip(pk::proto2() + "h\x05."), ErrorKind::Format, "memo index 5 was never stored");
    expectRejected(torchZip(pk::proto2() + "u."), ErrorKind::Format, "no MARK");
    expectRejected(torchZip(pk::proto2() + "0."), ErrorKind::Format, "no MARK");
    expectRejected(torchZip(pk::proto2() + "]" + pk::stop()), ErrorKind::Format, "holds a list, not a dict");
    expectRejected(torchZip("\x80\x06}."), ErrorKind::Format, "protocol 6");
    // A persistent id that is not a storage, and a storage type that is not supported.
    expectRejected(torchZip(pk::proto2() + pk::str("x") + "Q" + pk::stop()), ErrorKind::Format, "persistent id");
    expectRejected(torchZip(pk::proto2() +
                                pk::dict({{"w", pk::tensor(pk::storage("QInt8Storage", "0", 4), 0, {4}, {1})}}) +
                                pk::stop(),
                            {{"0", floatRange(4)}}),
                   ErrorKind::Unsupported, "torch.QInt8Storage");
    // Deeply nested dicts (no recursion in the reader, but a clear limit).
    std::string deep = pk::proto2();
    for (int i = 0; i < 100; ++i)
        deep += "}" + pk::str("d");
    deep += "}";
    for (int i = 0; i < 100; ++i)
        deep += "s";
    expectRejected(torchZip(deep + pk::stop()), ErrorKind::Format, "nested deeper than 64");
}

TEST(TorchCheckpointMalformed, ArchiveLayoutProblems)
{
    // torch.save writes <archive>/version; LibTorch's reader refuses an archive without it.
    expectRejected(makeZip({{"archive/data.pkl", kGoodPickle}}), ErrorKind::Format, "version");
    const ZipMember version{"archive/version", "3\n"};
    expectRejected(makeZip({{"archive/other.pkl", kGoodPickle}, version}), ErrorKind::Format, "no data.pkl");
    // The archive's folder is the first record's; a record outside it (here a second pickle) is refused.
    expectRejected(makeZip({{"a/data.pkl", kGoodPickle}, {"a/version", "3\n"}, {"b/data.pkl", kGoodPickle}}),
                   ErrorKind::Format, "not in a subdirectory a/: b/data.pkl");
    expectRejected(makeZip({{"archive/data.pkl", kGoodPickle}, {"archive/data.pkl", kGoodPickle}, version}),
                   ErrorKind::Format, "duplicate entry");
    std::string zip = makeZip(
        {{"archive/data.pkl", kGoodPickle}, {"archive/data/0", floatRange(4)}, {"archive/byteorder", "big"}, version});
    expectRejected(zip, ErrorKind::Unsupported, "big-endian");
}

} // namespace
} // namespace invseg::test
