// Parity of every model component with the golden reference sets, for both checkpoint layouts.
#include "support/golden_sets.h"

#include "invseg/nn/attention_capture.h"
#include "invseg/nn/clip_text_model.h"
#include "invseg/nn/unet.h"
#include "invseg/nn/vae.h"
#include "invseg/noise_schedule.h"
#include "invseg/sd_model.h"
#include "invseg/tokenizer.h"
#include "model/sd_model_impl.h"

#include <map>

namespace invseg::test {
namespace {

struct Layout {
    const char* name;
    double tolerance; // the golden README's bounds
    bool singleFile;
    bool channelsLast; // the same weights with NHWC convolutions: must meet the same bound
};
constexpr Layout kLayouts[] = {{"diffusers", 1e-4, false, false},
                               {"single_file_fp16", 2e-2, true, false},
                               {"diffusers_channels_last", 1e-4, false, true}};

/// Models are loaded once per (set, layout) and shared by the tests of this binary.
std::shared_ptr<SdModel> model(const GoldenSet& set, const Layout& layout)
{
    static std::map<std::string, std::shared_ptr<SdModel>> cache;
    const std::string key = set.dir.string() + "|" + layout.name;
    auto& slot = cache[key];
    if (!slot) {
        ModelOptions o;
        o.channelsLast = layout.channelsLast;
        if (!layout.singleFile) {
            slot = SdModel::load(set.diffusersDir(), o);
        } else {
            // Single files carry no config: only the head counts come from the set's diffusers configs.
            o.checkpoint.headsFrom = set.diffusersDir();
            slot = SdModel::load(set.singleFile(), o);
        }
    }
    return slot;
}

std::string label(const GoldenSet& s, const Layout& l, const std::string& what)
{
    return s.name + "/" + l.name + ": " + what;
}

class Parity : public ::testing::Test {
protected:
    void SetUp() override { m_sets = goldenSets(); }
    void TearDown() override
    {
        for (const auto& [what, e] : errorLog().worst)
            std::cout << "  rel-error " << what << " = " << e << "\n";
        errorLog().worst.clear();
    }
    std::vector<GoldenSet> m_sets;
};

TEST_F(Parity, TokenIdsAreExact)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            SCOPED_TRACE(label(set, layout, "tokens"));
            auto m = model(set, layout);
            const int64_t pad = set.meta.at("pad_id").get<int64_t>();
            EXPECT_EQ(m->padTokenId(), pad);
            for (const auto& t : set.meta.at("token_tests")) {
                const auto text = t.at("text").get<std::string>();
                const auto expected = t.at("ids").get<std::vector<int64_t>>();
                EXPECT_EQ(m->tokenizer().encodePadded(text, pad, 77), expected) << "text: '" << text << "'";
            }
            const auto prompts = set.meta.at("prompts").get<std::vector<std::string>>();
            const auto ids = m->impl().tokenIds(prompts).to(torch::kCPU);
            EXPECT_TRUE(torch::equal(ids, set.tensors->tensor("input_ids").to(torch::kLong)));
        }
}

TEST_F(Parity, TextEmbeddings)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    torch::NoGradGuard noGrad;
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            const auto ids = set.tensors->tensor("input_ids").to(torch::kLong);
            EXPECT_REL_ERROR_LE(m->impl().encodeText(ids), set.get("text_embeddings"), layout.tolerance,
                                label(set, layout, "text_embeddings"));
        }
}

TEST_F(Parity, VaeEncoderPosteriorAndLatent)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    torch::NoGradGuard noGrad;
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            const auto image = set.get("image");
            auto [mean, logvar] = m->impl().encodeImage(image);
            EXPECT_REL_ERROR_LE(mean, set.get("vae_posterior_mean"), layout.tolerance,
                                label(set, layout, "vae_posterior_mean"));
            EXPECT_REL_ERROR_LE(logvar, set.get("vae_posterior_logvar"), layout.tolerance,
                                label(set, layout, "vae_posterior_logvar"));
            EXPECT_NEAR(m->vaeConfig().scalingFactor, set.meta.at("scaling_factor").get<double>(), 1e-9);
            EXPECT_REL_ERROR_LE(m->impl().imageToLatent(image), set.get("z0"), layout.tolerance,
                                label(set, layout, "z0"));
        }
}

TEST_F(Parity, VaeDecoder)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    torch::NoGradGuard noGrad;
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            EXPECT_REL_ERROR_LE(m->impl().latentToImage(set.get("z0")), set.get("vae_decoded"), layout.tolerance,
                                label(set, layout, "vae_decoded"));
        }
}

TEST_F(Parity, NoiseScheduleAndNoising)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            const auto& sched = m->impl().schedule();
            EXPECT_REL_ERROR_LE(sched.alphasCumprod(), set.get("alphas_cumprod"), layout.tolerance,
                                label(set, layout, "alphas_cumprod"));
            const auto z0 = set.get("z0");
            const auto noise = set.get("noise");
            for (const auto& t : set.meta.at("timesteps")) {
                const int64_t T = t.get<int64_t>();
                const std::string suffix = std::to_string(T);
                EXPECT_REL_ERROR_LE(sched.addNoise(z0, noise, T), set.get("zt_" + suffix), layout.tolerance,
                                    label(set, layout, "zt_" + suffix));
                if (set.has("v_target_" + suffix))
                    EXPECT_REL_ERROR_LE(sched.vTarget(z0, noise, T), set.get("v_target_" + suffix), layout.tolerance,
                                        label(set, layout, "v_target_" + suffix));
            }
            const std::string pred = set.meta.at("prediction_type").get<std::string>();
            if (!layout.singleFile)
                EXPECT_EQ(toString(m->predictionType()), pred);
        }
}

TEST_F(Parity, UNetOutputs)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    torch::NoGradGuard noGrad;
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            for (const auto& p : m->impl().unet()->named_parameters())
                if (p.value().dim() == 4 && p.value().size(2) > 1)
                    EXPECT_EQ(p.value().is_contiguous(torch::MemoryFormat::ChannelsLast), layout.channelsLast)
                        << label(set, layout, p.key());
            const auto text = set.get("text_embeddings");
            for (const auto& t : set.meta.at("timesteps")) {
                const int64_t T = t.get<int64_t>();
                const auto zt = set.get("zt_" + std::to_string(T));
                for (int64_t p = 0; p < text.size(0); ++p) {
                    const std::string key = "unet_out_t" + std::to_string(T) + "_p" + std::to_string(p);
                    const auto out = m->impl().unet()->forward(zt, torch::tensor({T}), text.slice(0, p, p + 1),
                                                               nullptr);
                    EXPECT_REL_ERROR_LE(out, set.get(key), layout.tolerance, label(set, layout, key));
                    if (layout.channelsLast) // the NHWC variant runs NHWC to the end
                        EXPECT_TRUE(out.is_contiguous(torch::MemoryFormat::ChannelsLast)) << label(set, layout, key);
                }
            }
        }
}

TEST_F(Parity, EveryAttentionMapAndHeadSplit)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    torch::NoGradGuard noGrad;
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            nn::AttentionCapture capture;
            capture.select = nn::AttentionCapture::selectAll();
            capture.perHead = true;
            m->impl().unet()->forward(set.get("zt_100"), torch::tensor({int64_t(100)}),
                                      set.get("text_embeddings").slice(0, 1, 2), &capture);
            const auto& layers = set.meta.at("attention_layers");
            EXPECT_EQ(capture.maps.size(), layers.size()) << label(set, layout, "number of attention layers");
            for (auto it = layers.begin(); it != layers.end(); ++it) {
                const std::string name = it.key();
                SCOPED_TRACE(label(set, layout, name));
                ASSERT_TRUE(capture.maps.count(name)) << "layer not captured";
                const auto info = std::find_if(capture.layers.begin(), capture.layers.end(),
                                               [&](const nn::AttnLayerInfo& l) { return l.name == name; });
                ASSERT_NE(info, capture.layers.end());
                EXPECT_EQ(info->heads, it->at("heads").get<int64_t>());
                EXPECT_EQ(info->queries(), it->at("queries").get<int64_t>());
                EXPECT_EQ(info->keys, it->at("keys").get<int64_t>());
                EXPECT_EQ(info->kind == nn::AttnKind::Cross ? "cross" : "self", it->at("kind").get<std::string>());
                EXPECT_REL_ERROR_LE(capture.maps.at(name)[0], set.get("attn/" + name), layout.tolerance,
                                    label(set, layout, "attn/*"));
                if (set.has("attn_heads/" + name))
                    EXPECT_REL_ERROR_LE(capture.headMaps.at(name)[0], set.get("attn_heads/" + name), layout.tolerance,
                                        label(set, layout, "attn_heads/" + name));
            }
        }
}

TEST_F(Parity, GradientToTextEmbeddings)
{
    INVSEG_REQUIRE_GOLDEN(m_sets);
    for (const auto& set : m_sets)
        for (const auto& layout : kLayouts) {
            auto m = model(set, layout);
            for (const auto& p : m->impl().unet()->parameters())
                ASSERT_FALSE(p.requires_grad());
            auto emb = set.get("text_embeddings").slice(0, 1, 2).clone().requires_grad_(true);
            nn::AttentionCapture capture;
            capture.select = nn::AttentionCapture::selectKind(nn::AttnKind::Cross);
            m->impl().unet()->forward(set.get("zt_100"), torch::tensor({int64_t(100)}), emb, &capture);
            torch::Tensor loss = torch::zeros({}, torch::kDouble);
            int crossLayers = 0;
            for (const auto& [name, map] : capture.maps) {
                loss = loss + (map[0].to(torch::kDouble) * set.get("loss_weight/" + name).to(torch::kDouble)).sum();
                ++crossLayers;
            }
            EXPECT_EQ(crossLayers, static_cast<int>(std::count_if(
                                       set.meta.at("attention_layers").begin(), set.meta.at("attention_layers").end(),
                                       [](const auto& l) { return l.at("kind") == "cross"; })));
            auto grad = torch::autograd::grad({loss}, {emb})[0];
            EXPECT_REL_ERROR_LE(loss.reshape({1}), set.get("grad_loss"), layout.tolerance,
                                label(set, layout, "grad_loss"));
            EXPECT_REL_ERROR_LE(grad, set.get("grad_text_embeddings"), layout.tolerance,
                                label(set, layout, "grad_text_embeddings"));
        }
}

} // namespace
} // namespace invseg::test
