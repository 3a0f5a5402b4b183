#include "core/model/parameterlayout.h"

#include <QStringList>

#include <set>

namespace saccade {

namespace {

using Layout = std::vector<std::pair<QString, std::vector<int64_t>>>;

QString shapeText(const std::vector<int64_t>& shape) {
    QStringList parts;
    for (int64_t dimension : shape)
        parts << QString::number(dimension);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

void addLinear(Layout* layout, const QString& name, int64_t in, int64_t out, bool bias = true) {
    layout->push_back({name + QStringLiteral(".weight"), {out, in}});
    if (bias)
        layout->push_back({name + QStringLiteral(".bias"), {out}});
}

void addNorm(Layout* layout, const QString& name, int64_t d) {
    layout->push_back({name + QStringLiteral(".weight"), {d}});
    layout->push_back({name + QStringLiteral(".bias"), {d}});
}

void addAttention(Layout* layout, const QString& prefix, const QString& norm, const QString& attention,
                  int64_t d, bool qkvBias) {
    addNorm(layout, prefix + norm, d);
    addLinear(layout, prefix + attention + QStringLiteral(".qkv"), d, 3 * d, qkvBias);
    addLinear(layout, prefix + attention + QStringLiteral(".proj"), d, d);
}

} // namespace

Layout parameterLayout(const TimeSformerConfig& config) {
    const int64_t d = config.hiddenSize;
    Layout layout;
    layout.push_back({QStringLiteral("cls_token"), {1, 1, d}});
    layout.push_back({QStringLiteral("pos_embed"), {1, 1 + config.patchesPerFrame(), d}});
    if (config.attentionType != AttentionType::SpaceOnly)
        layout.push_back({QStringLiteral("time_embed"), {1, config.numFrames, d}});
    layout.push_back({QStringLiteral("patch_embed.proj.weight"), {d, 3, config.patchSize, config.patchSize}});
    layout.push_back({QStringLiteral("patch_embed.proj.bias"), {d}});
    for (int i = 0; i < config.depth; ++i) {
        const QString prefix = QStringLiteral("blocks.%1.").arg(i);
        addAttention(&layout, prefix, QStringLiteral("norm1"), QStringLiteral("attn"), d, config.qkvBias);
        if (config.attentionType == AttentionType::DividedSpaceTime ||
            config.attentionType == AttentionType::Axial) {
            addAttention(&layout, prefix, QStringLiteral("temporal_norm1"), QStringLiteral("temporal_attn"),
                         d, config.qkvBias);
            addLinear(&layout, prefix + QStringLiteral("temporal_fc"), d, d);
        }
        if (config.attentionType == AttentionType::Axial) {
            addAttention(&layout, prefix, QStringLiteral("width_norm1"), QStringLiteral("width_attn"), d,
                         config.qkvBias);
            addLinear(&layout, prefix + QStringLiteral("width_fc"), d, d);
        }
        if (config.attentionType == AttentionType::LocalGlobal)
            addAttention(&layout, prefix, QStringLiteral("global_norm1"), QStringLiteral("global_attn"), d,
                         config.qkvBias);
        addNorm(&layout, prefix + QStringLiteral("norm2"), d);
        addLinear(&layout, prefix + QStringLiteral("mlp.fc1"), d, config.mlpHiddenSize());
        addLinear(&layout, prefix + QStringLiteral("mlp.fc2"), config.mlpHiddenSize(), d);
    }
    addNorm(&layout, QStringLiteral("norm"), d);
    addLinear(&layout, QStringLiteral("head"), d, config.numClasses);
    return layout;
}

Status checkTensors(const TimeSformerConfig& config, const TensorMap& tensors, const QString& path) {
    QStringList missing;
    QStringList mismatched;
    std::set<QString> expected;
    for (const auto& [name, shape] : parameterLayout(config)) {
        expected.insert(name);
        const auto it = tensors.find(name);
        if (it == tensors.end())
            missing << name;
        else if (it->second.shape != shape)
            mismatched << QStringLiteral("%1 is %2, expected %3")
                              .arg(name, it->second.shapeString(), shapeText(shape));
    }
    QStringList unexpected;
    for (const auto& [name, tensor] : tensors) {
        if (expected.count(name) == 0)
            unexpected << name;
    }
    if (missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty())
        return {};
    // Long lists are cut so that the message stays readable; the counts stay exact.
    auto summarise = [](const QStringList& names) {
        return names.size() <= 8 ? names.join(QStringLiteral(", "))
                                 : names.mid(0, 8).join(QStringLiteral(", ")) +
                                       QStringLiteral(", ... (%1 in all)").arg(names.size());
    };
    QStringList problems;
    if (!missing.isEmpty())
        problems << QStringLiteral("missing keys: ") + summarise(missing);
    if (!unexpected.isEmpty())
        problems << QStringLiteral("unexpected keys: ") + summarise(unexpected);
    if (!mismatched.isEmpty())
        problems << QStringLiteral("shape mismatches: ") + summarise(mismatched);
    return Error::invalidData(path,
                              QStringLiteral("checkpoint does not fit a %1 TimeSformer (%2 layers, D=%3): %4")
                                  .arg(attentionTypeName(config.attentionType))
                                  .arg(config.depth)
                                  .arg(config.hiddenSize)
                                  .arg(problems.join(QStringLiteral("; "))));
}

} // namespace saccade
