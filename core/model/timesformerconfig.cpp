#include "core/model/timesformerconfig.h"

#include <QJsonArray>
#include <QList>

#include <algorithm>

namespace saccade {

namespace {

struct AttentionName {
    AttentionType type;
    const char* name;
};

constexpr AttentionName kAttentionNames[] = {
    {AttentionType::DividedSpaceTime, "divided_space_time"},
    {AttentionType::JointSpaceTime, "joint_space_time"},
    {AttentionType::SpaceOnly, "space_only"},
    {AttentionType::LocalGlobal, "local_global"},
    {AttentionType::Axial, "axial"},
};

// Parameters of one pre-norm attention sub-block: LayerNorm, qkv, output projection.
int64_t attentionParameters(int64_t d, bool qkvBias) {
    return 2 * d + 3 * d * d + (qkvBias ? 3 * d : 0) + d * d + d;
}

QJsonArray toJsonArray(const std::array<float, 3>& values) {
    QJsonArray array;
    for (float value : values)
        array.append(static_cast<double>(value));
    return array;
}

// "[0.45, 0.45, 0.45]" -> three floats.
bool parseTriple(const QString& text, std::array<float, 3>* out) {
    QString inner = text.trimmed();
    inner.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
    const QStringList parts = inner.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.size() != 3)
        return false;
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        (*out)[static_cast<size_t>(i)] = parts[i].trimmed().toFloat(&ok);
        if (!ok)
            return false;
    }
    return true;
}

// An HF normalisation field: three numbers, or one number for every channel; absent keeps `out`.
Status readJsonTriple(const QJsonValue& value, const QString& key, const QString& path,
                      std::array<float, 3>* out) {
    if (value.isUndefined() || value.isNull())
        return {};
    if (value.isDouble()) {
        out->fill(static_cast<float>(value.toDouble()));
        return {};
    }
    const QJsonArray array = value.toArray();
    if (array.size() != 3 || !array[0].isDouble() || !array[1].isDouble() || !array[2].isDouble())
        return Error::invalidData(path, QStringLiteral("%1 must hold three numbers").arg(key));
    for (int i = 0; i < 3; ++i)
        (*out)[static_cast<size_t>(i)] = static_cast<float>(array[i].toDouble());
    return {};
}

} // namespace

QString attentionTypeName(AttentionType type) {
    for (const AttentionName& entry : kAttentionNames) {
        if (entry.type == type)
            return QString::fromLatin1(entry.name);
    }
    return QStringLiteral("divided_space_time");
}

std::optional<AttentionType> parseAttentionType(const QString& name) {
    const QString normalised = name.trimmed().toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
    for (const AttentionName& entry : kAttentionNames) {
        if (normalised == QLatin1String(entry.name))
            return entry.type;
    }
    if (normalised == QLatin1String("divided"))
        return AttentionType::DividedSpaceTime;
    if (normalised == QLatin1String("joint"))
        return AttentionType::JointSpaceTime;
    if (normalised == QLatin1String("space"))
        return AttentionType::SpaceOnly;
    return std::nullopt;
}

QStringList attentionTypeNames() {
    QStringList names;
    for (const AttentionName& entry : kAttentionNames)
        names << QString::fromLatin1(entry.name);
    return names;
}

QStringList TimeSformerConfig::presetNames() {
    return {QStringLiteral("base"), QStringLiteral("hr"), QStringLiteral("l"), QStringLiteral("demo")};
}

std::optional<TimeSformerConfig> TimeSformerConfig::preset(const QString& name) {
    TimeSformerConfig config;
    if (name == QLatin1String("base"))
        return config;
    if (name == QLatin1String("hr")) {
        config.numFrames = 16;
        config.imageSize = 448;
        config.samplingRate = 4;
        return config;
    }
    if (name == QLatin1String("l")) {
        config.numFrames = 96;
        config.samplingRate = 4;
        return config;
    }
    if (name == QLatin1String("demo")) {
        // Small enough to train on two CPU cores in a few hours: 8 frames of 64 px, an 8x8 patch grid
        // (fine enough for the overlay to show where the model looks), two blocks of width 64.
        config.imageSize = 64;
        config.patchSize = 8;
        config.numFrames = 8;
        config.hiddenSize = 64;
        config.depth = 2;
        config.numHeads = 4;
        config.numClasses = 10;
        // Training clips span 8 frames taken every 8th frame of 30 fps video.
        config.samplingRate = 8;
        config.preprocessing = QStringLiteral("demo");
        config.normMean = {0.5f, 0.5f, 0.5f};
        config.normStd = {0.5f, 0.5f, 0.5f};
        return config;
    }
    return std::nullopt;
}

QStringList TimeSformerConfig::classNames() const {
    if (labels.size() == numClasses)
        return labels;
    QStringList names;
    for (int i = 0; i < numClasses; ++i)
        names << (i < labels.size() ? labels[i] : QStringLiteral("class %1").arg(i));
    return names;
}

int64_t TimeSformerConfig::parameterCount() const {
    const int64_t d = hiddenSize;
    const int64_t n = patchesPerFrame();
    const int64_t mlp = mlpHiddenSize();
    int64_t block = attentionParameters(d, qkvBias) + 2 * d + d * mlp + mlp + mlp * d + d;
    switch (attentionType) {
    case AttentionType::DividedSpaceTime:
        block += attentionParameters(d, qkvBias) + d * d + d;
        break;
    case AttentionType::Axial:
        block += 2 * (attentionParameters(d, qkvBias) + d * d + d);
        break;
    case AttentionType::LocalGlobal:
        block += attentionParameters(d, qkvBias);
        break;
    case AttentionType::JointSpaceTime:
    case AttentionType::SpaceOnly:
        break;
    }
    int64_t total = d + (1 + n) * d + d * 3 * patchSize * patchSize + d + depth * block + 2 * d +
                    d * numClasses + numClasses;
    if (attentionType != AttentionType::SpaceOnly)
        total += static_cast<int64_t>(numFrames) * d;
    return total;
}

Status TimeSformerConfig::validate() const {
    if (imageSize <= 0 || patchSize <= 0 || numFrames <= 0 || hiddenSize <= 0 || depth <= 0 ||
        numHeads <= 0 || numClasses <= 0 || !(mlpRatio > 0))
        return Error::invalidArgument(QStringLiteral("model sizes must be positive"));
    // Far beyond any published model; a value past these comes from a damaged or crafted file and
    // would otherwise allocate gigabytes before anything else fails.
    const struct {
        const char* field;
        double value;
        double limit;
    } bounds[] = {
        {"image_size", double(imageSize), 8192},         {"num_frames", double(numFrames), 4096},
        {"hidden_size", double(hiddenSize), 16384},      {"num_hidden_layers", double(depth), kMaxDepth},
        {"num_labels", double(numClasses), kMaxClasses}, {"intermediate_size / hidden_size", mlpRatio, 64}};
    for (const auto& bound : bounds) {
        if (bound.value > bound.limit)
            return Error::invalidArgument(QStringLiteral("%1 = %2 exceeds the limit of %3")
                                              .arg(QLatin1String(bound.field))
                                              .arg(bound.value)
                                              .arg(bound.limit));
    }
    if (!(layerNormEps > 0) || !(layerNormEps < 1))
        return Error::invalidArgument(
            QStringLiteral("layer_norm_eps = %1 must be a small positive number").arg(layerNormEps));
    if (samplingRate <= 0)
        return Error::invalidArgument(
            QStringLiteral("the sampling rate %1 must be positive").arg(samplingRate));
    if (hiddenSize % numHeads != 0)
        return Error::invalidArgument(
            QStringLiteral("hidden size %1 does not split into %2 heads").arg(hiddenSize).arg(numHeads));
    if (imageSize % patchSize != 0)
        return Error::invalidArgument(QStringLiteral("image size %1 is not a multiple of the patch size %2")
                                          .arg(imageSize)
                                          .arg(patchSize));
    return {};
}

Result<TimeSformerConfig> TimeSformerConfig::fromHfJson(const QJsonObject& json, const QString& path) {
    TimeSformerConfig config;
    auto readInt = [&](const char* key, int* out) {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isDouble())
            *out = value.toInt();
    };
    readInt("image_size", &config.imageSize);
    readInt("patch_size", &config.patchSize);
    readInt("num_frames", &config.numFrames);
    readInt("hidden_size", &config.hiddenSize);
    readInt("num_hidden_layers", &config.depth);
    readInt("num_attention_heads", &config.numHeads);
    if (json.value(QLatin1String("intermediate_size")).isDouble() && config.hiddenSize > 0)
        config.mlpRatio = json.value(QLatin1String("intermediate_size")).toDouble() / config.hiddenSize;
    if (json.value(QLatin1String("layer_norm_eps")).isDouble())
        config.layerNormEps = json.value(QLatin1String("layer_norm_eps")).toDouble();
    if (json.value(QLatin1String("qkv_bias")).isBool())
        config.qkvBias = json.value(QLatin1String("qkv_bias")).toBool();
    const QString attention = json.value(QLatin1String("attention_type")).toString();
    if (!attention.isEmpty()) {
        const auto type = parseAttentionType(attention);
        if (!type)
            return Error::unsupported(path, QStringLiteral("unknown attention_type '%1'").arg(attention));
        config.attentionType = *type;
    }
    const QJsonObject id2label = json.value(QLatin1String("id2label")).toObject();
    if (!id2label.isEmpty()) {
        QList<int> ids;
        for (auto it = id2label.begin(); it != id2label.end(); ++it) {
            bool ok = false;
            const int id = it.key().toInt(&ok);
            if (!ok || id < 0)
                return Error::invalidData(path,
                                          QStringLiteral("id2label has a non-numeric id '%1'").arg(it.key()));
            if (id >= kMaxClasses)
                return Error::invalidData(path,
                                          QStringLiteral("id2label id %1 exceeds the limit of %2 classes")
                                              .arg(it.key())
                                              .arg(kMaxClasses));
            ids << id;
        }
        const int count = *std::max_element(ids.begin(), ids.end()) + 1;
        config.labels = QStringList();
        for (int i = 0; i < count; ++i)
            config.labels << id2label.value(QString::number(i)).toString(QStringLiteral("class %1").arg(i));
        config.numClasses = count;
    }
    readInt("num_labels", &config.numClasses);
    config.preprocessing = json.value(QLatin1String("saccade_preprocessing")).toString(QStringLiteral("hf"));
    if (json.value(QLatin1String("saccade_bgr")).isBool())
        config.bgr = json.value(QLatin1String("saccade_bgr")).toBool();
    // Hugging Face's config has no sampling rate; Saccade keeps the one the model was trained with.
    readInt("saccade_sampling_rate", &config.samplingRate);
    const Status valid = config.validate();
    if (!valid.ok())
        return Error::invalidData(path, valid.error().message);
    return config;
}

QJsonObject TimeSformerConfig::toHfJson() const {
    QJsonObject json;
    json.insert(QStringLiteral("architectures"),
                QJsonArray{QStringLiteral("TimesformerForVideoClassification")});
    json.insert(QStringLiteral("model_type"), QStringLiteral("timesformer"));
    json.insert(QStringLiteral("image_size"), imageSize);
    json.insert(QStringLiteral("patch_size"), patchSize);
    json.insert(QStringLiteral("num_channels"), 3);
    json.insert(QStringLiteral("num_frames"), numFrames);
    json.insert(QStringLiteral("hidden_size"), hiddenSize);
    json.insert(QStringLiteral("num_hidden_layers"), depth);
    json.insert(QStringLiteral("num_attention_heads"), numHeads);
    json.insert(QStringLiteral("intermediate_size"), mlpHiddenSize());
    json.insert(QStringLiteral("hidden_act"), QStringLiteral("gelu"));
    json.insert(QStringLiteral("hidden_dropout_prob"), 0.0);
    json.insert(QStringLiteral("attention_probs_dropout_prob"), 0.0);
    json.insert(QStringLiteral("layer_norm_eps"), layerNormEps);
    json.insert(QStringLiteral("qkv_bias"), qkvBias);
    json.insert(QStringLiteral("attention_type"), attentionTypeName(attentionType));
    json.insert(QStringLiteral("num_labels"), numClasses);
    QJsonObject id2label;
    QJsonObject label2id;
    const QStringList names = classNames();
    for (int i = 0; i < names.size(); ++i) {
        id2label.insert(QString::number(i), names[i]);
        label2id.insert(names[i], i);
    }
    json.insert(QStringLiteral("id2label"), id2label);
    json.insert(QStringLiteral("label2id"), label2id);
    json.insert(QStringLiteral("saccade_preprocessing"), preprocessing);
    json.insert(QStringLiteral("saccade_bgr"), bgr);
    json.insert(QStringLiteral("saccade_sampling_rate"), samplingRate);
    return json;
}

QJsonObject TimeSformerConfig::toHfPreprocessorJson() const {
    QJsonObject json;
    json.insert(QStringLiteral("image_processor_type"), QStringLiteral("VideoMAEImageProcessor"));
    json.insert(QStringLiteral("do_resize"), true);
    json.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("shortest_edge"), imageSize}});
    json.insert(QStringLiteral("resample"), 2);
    json.insert(QStringLiteral("do_center_crop"), true);
    json.insert(QStringLiteral("crop_size"),
                QJsonObject{{QStringLiteral("height"), imageSize}, {QStringLiteral("width"), imageSize}});
    json.insert(QStringLiteral("do_rescale"), true);
    json.insert(QStringLiteral("rescale_factor"), 1.0 / 255.0);
    json.insert(QStringLiteral("do_normalize"), true);
    json.insert(QStringLiteral("image_mean"), toJsonArray(normMean));
    json.insert(QStringLiteral("image_std"), toJsonArray(normStd));
    return json;
}

Status TimeSformerConfig::readHfNormalisation(const QJsonObject& json, const QString& path) {
    std::array<float, 3> mean = normMean;
    std::array<float, 3> std = normStd;
    Status read =
        readJsonTriple(json.value(QLatin1String("image_mean")), QStringLiteral("image_mean"), path, &mean);
    if (read)
        read =
            readJsonTriple(json.value(QLatin1String("image_std")), QStringLiteral("image_std"), path, &std);
    if (!read)
        return read;
    for (float value : std)
        if (!(value > 0.0f))
            return Error::invalidData(path, QStringLiteral("image_std must be positive"));
    if (json.value(QLatin1String("do_normalize")).toBool(true)) {
        normMean = mean;
        normStd = std;
    } else {
        normMean = {0.0f, 0.0f, 0.0f};
        normStd = {1.0f, 1.0f, 1.0f};
    }
    return {};
}

Result<TimeSformerConfig> TimeSformerConfig::fromResearchYaml(const QByteArray& yaml, const QString& path) {
    TimeSformerConfig config;
    // yacs dumps nested mappings with two-space indentation; only two levels matter here.
    QString section;
    const QList<QByteArray> lines = yaml.split('\n');
    for (const QByteArray& rawLine : lines) {
        QString line = QString::fromUtf8(rawLine);
        const int comment = line.indexOf(QLatin1String(" #"));
        if (comment >= 0)
            line.truncate(comment);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(QLatin1Char('#')))
            continue;
        int indent = 0;
        while (indent < line.size() && line[indent] == QLatin1Char(' '))
            ++indent;
        const int colon = line.indexOf(QLatin1Char(':'));
        if (colon < 0)
            continue;
        const QString key = line.left(colon).trimmed();
        QString value = line.mid(colon + 1).trimmed();
        if (value.size() >= 2 && (value.startsWith(QLatin1Char('\'')) || value.startsWith(QLatin1Char('"'))))
            value = value.mid(1, value.size() - 2);
        if (indent == 0) {
            section = key;
            continue;
        }
        if (indent != 2)
            continue;
        const QString full = section + QLatin1Char('.') + key;
        bool ok = true;
        if (full == QLatin1String("DATA.NUM_FRAMES"))
            config.numFrames = value.toInt(&ok);
        else if (full == QLatin1String("DATA.TRAIN_CROP_SIZE"))
            config.imageSize = value.toInt(&ok);
        else if (full == QLatin1String("DATA.SAMPLING_RATE"))
            config.samplingRate = value.toInt(&ok);
        else if (full == QLatin1String("DATA.MEAN"))
            ok = parseTriple(value, &config.normMean);
        else if (full == QLatin1String("DATA.STD"))
            ok = parseTriple(value, &config.normStd);
        else if (full == QLatin1String("MODEL.NUM_CLASSES"))
            config.numClasses = value.toInt(&ok);
        else if (full == QLatin1String("TRAIN.DATASET"))
            config.bgr = value.toLower().contains(QLatin1String("ssv2"));
        else if (full == QLatin1String("TIMESFORMER.ATTENTION_TYPE")) {
            const auto type = parseAttentionType(value);
            if (!type)
                return Error::unsupported(path,
                                          QStringLiteral("unknown ATTENTION_TYPE '%1' in cfg").arg(value));
            config.attentionType = *type;
        }
        if (!ok)
            return Error::invalidData(
                path, QStringLiteral("cfg field %1 has an invalid value '%2'").arg(full, value));
    }
    return config;
}

} // namespace saccade
