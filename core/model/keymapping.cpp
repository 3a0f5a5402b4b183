#include "core/model/keymapping.h"

namespace saccade {

namespace {

struct NamePair {
    const char* research;
    const char* hf;
};

// Module paths inside one block; the parameter name (weight, bias) follows unchanged.
constexpr NamePair kBlockNames[] = {
    {"norm1", "layernorm_before"},
    {"attn.qkv", "attention.attention.qkv"},
    {"attn.proj", "attention.output.dense"},
    {"temporal_norm1", "temporal_layernorm"},
    {"temporal_attn.qkv", "temporal_attention.attention.qkv"},
    {"temporal_attn.proj", "temporal_attention.output.dense"},
    {"temporal_fc", "temporal_dense"},
    {"norm2", "layernorm_after"},
    {"mlp.fc1", "intermediate.dense"},
    {"mlp.fc2", "output.dense"},
};

constexpr NamePair kTopNames[] = {
    {"cls_token", "timesformer.embeddings.cls_token"},
    {"pos_embed", "timesformer.embeddings.position_embeddings"},
    {"time_embed", "timesformer.embeddings.time_embeddings"},
    {"patch_embed.proj.weight", "timesformer.embeddings.patch_embeddings.projection.weight"},
    {"patch_embed.proj.bias", "timesformer.embeddings.patch_embeddings.projection.bias"},
    {"norm.weight", "timesformer.layernorm.weight"},
    {"norm.bias", "timesformer.layernorm.bias"},
    {"head.weight", "classifier.weight"},
    {"head.bias", "classifier.bias"},
};

const QString kResearchBlock = QStringLiteral("blocks.");
const QString kHfBlock = QStringLiteral("timesformer.encoder.layer.");

// Splits "<prefix><index>.<module path>.<parameter>" into its parts.
bool splitBlockName(const QString& name, const QString& prefix, QString* index, QString* module,
                    QString* parameter) {
    if (!name.startsWith(prefix))
        return false;
    const QString rest = name.mid(prefix.size());
    const int dot = rest.indexOf(QLatin1Char('.'));
    const int last = rest.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0 || last <= dot)
        return false;
    *index = rest.left(dot);
    bool numeric = false;
    index->toInt(&numeric);
    if (!numeric)
        return false;
    *module = rest.mid(dot + 1, last - dot - 1);
    *parameter = rest.mid(last + 1);
    return true;
}

} // namespace

std::optional<QString> hfToResearchName(const QString& hfName) {
    for (const NamePair& pair : kTopNames) {
        if (hfName == QLatin1String(pair.hf))
            return QString::fromLatin1(pair.research);
    }
    QString index;
    QString module;
    QString parameter;
    if (!splitBlockName(hfName, kHfBlock, &index, &module, &parameter))
        return std::nullopt;
    for (const NamePair& pair : kBlockNames) {
        if (module == QLatin1String(pair.hf))
            return kResearchBlock + index + QLatin1Char('.') + QLatin1String(pair.research) +
                   QLatin1Char('.') + parameter;
    }
    // Modules of Saccade's own block kinds keep their names in both layouts.
    return kResearchBlock + index + QLatin1Char('.') + module + QLatin1Char('.') + parameter;
}

QString researchToHfName(const QString& researchName) {
    for (const NamePair& pair : kTopNames) {
        if (researchName == QLatin1String(pair.research))
            return QString::fromLatin1(pair.hf);
    }
    QString index;
    QString module;
    QString parameter;
    if (!splitBlockName(researchName, kResearchBlock, &index, &module, &parameter))
        return researchName;
    for (const NamePair& pair : kBlockNames) {
        if (module == QLatin1String(pair.research))
            return kHfBlock + index + QLatin1Char('.') + QLatin1String(pair.hf) + QLatin1Char('.') +
                   parameter;
    }
    return kHfBlock + index + QLatin1Char('.') + module + QLatin1Char('.') + parameter;
}

bool isHfName(const QString& name) {
    return name.startsWith(QLatin1String("timesformer.")) || name.startsWith(QLatin1String("classifier."));
}

} // namespace saccade
