#include "core/model/checkpoint.h"

#include "core/model/keymapping.h"
#include "core/model/parameterlayout.h"
#include "core/model/restrictedunpickler.h"
#include "core/model/safetensors.h"
#include "core/model/zipreader.h"
#include "core/util/atomicfile.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <set>
#include <unordered_map>

namespace saccade {

namespace {

const QString kModelPrefix = QStringLiteral("model.");

struct TorchArchive {
    PickleRef root;
};

Result<TorchArchive> readTorchArchive(const QString& path) {
    Result<ZipReader> zip = ZipReader::open(path);
    if (!zip.ok())
        return zip.error();
    // torch.save names the folder inside the archive after the file; find it through data.pkl.
    QString prefix;
    for (const QString& name : zip->entryNames()) {
        if (name.endsWith(QLatin1String("/data.pkl")) && name.count(QLatin1Char('/')) == 1)
            prefix = name.left(name.size() - QStringLiteral("data.pkl").size());
    }
    if (prefix.isEmpty())
        return Error::invalidData(
            path, QStringLiteral("zip archive without data.pkl: not a torch.save checkpoint"));
    const Result<QByteArray> pickle = zip->read(prefix + QStringLiteral("data.pkl"));
    if (!pickle.ok())
        return pickle.error();
    const ZipReader& archive = zip.value();
    std::unordered_map<std::string, std::shared_ptr<const QByteArray>> storages;
    StorageResolver resolver = [&](const QString& key, DType) -> Result<RawTensor> {
        auto it = storages.find(key.toStdString());
        if (it == storages.end()) {
            // A view per storage bounds every tensor to its own storage's bytes without copying them
            // (the archive is mapped, so only the pages a tensor touches are read).
            Result<std::shared_ptr<const QByteArray>> bytes =
                archive.view(prefix + QStringLiteral("data/") + key);
            if (!bytes.ok())
                return Error::invalidData(
                    path, QStringLiteral("storage '%1' is missing from the archive").arg(key));
            it = storages.emplace(key.toStdString(), bytes.value()).first;
        }
        RawTensor storage;
        storage.storage = it->second;
        return storage;
    };
    Result<PickleRef> root = unpickle(pickle.value(), resolver, path);
    if (!root.ok())
        return root.error();
    return TorchArchive{root.value()};
}

void flattenTensors(const PickleRef& value, const QString& prefix, TensorMap* out) {
    if (!value)
        return;
    if (value->kind == PickleValue::Kind::Tensor) {
        out->emplace(prefix, value->tensor);
        return;
    }
    const QString separator = prefix.isEmpty() ? QString() : QStringLiteral(".");
    if (value->kind == PickleValue::Kind::Dict) {
        for (const auto& [key, item] : value->entries) {
            const QString name = key->isString() ? key->toString() : QString::number(key->integer);
            flattenTensors(item, prefix + separator + name, out);
        }
    } else if (value->kind == PickleValue::Kind::List || value->kind == PickleValue::Kind::Tuple) {
        for (size_t i = 0; i < value->items.size(); ++i)
            flattenTensors(value->items[i], prefix + separator + QString::number(i), out);
    }
}

// Tensors of a state dict: `model.` prefixes dropped, HF names mapped to research names.
Result<TensorMap> toResearchNames(const TensorMap& tensors, const QString& path) {
    TensorMap out;
    for (const auto& [name, tensor] : tensors) {
        QString research = name.startsWith(kModelPrefix) ? name.mid(kModelPrefix.size()) : name;
        if (isHfName(research)) {
            const std::optional<QString> mapped = hfToResearchName(research);
            if (!mapped)
                return Error::invalidData(path, QStringLiteral("unexpected key '%1'").arg(name));
            research = *mapped;
        }
        out[research] = tensor;
    }
    return out;
}

const RawTensor* find(const TensorMap& tensors, const char* name) {
    const auto it = tensors.find(QString::fromLatin1(name));
    return it == tensors.end() ? nullptr : &it->second;
}

// Everything that tensor shapes reveal overrides what the config file claims; heads do not show.
Status inferFromTensors(const TensorMap& tensors, bool attentionKnown, TimeSformerConfig* config,
                        const QString& path) {
    const RawTensor* cls = find(tensors, "cls_token");
    const RawTensor* pos = find(tensors, "pos_embed");
    const RawTensor* patch = find(tensors, "patch_embed.proj.weight");
    const RawTensor* head = find(tensors, "head.weight");
    const RawTensor* fc1 = find(tensors, "blocks.0.mlp.fc1.weight");
    if (!cls || !pos || !patch || !head || !fc1)
        return Error::invalidData(path, QStringLiteral("not a TimeSformer state dict: missing %1")
                                            .arg(!cls     ? "cls_token"
                                                 : !pos   ? "pos_embed"
                                                 : !patch ? "patch_embed.proj.weight"
                                                 : !head  ? "head.weight"
                                                          : "blocks.0.mlp.fc1.weight"));
    if (cls->shape.size() != 3 || pos->shape.size() != 3 || patch->shape.size() != 4 ||
        head->shape.size() != 2 || fc1->shape.size() != 2)
        return Error::invalidData(path, QStringLiteral("embedding or head tensors have unexpected ranks"));
    config->hiddenSize = static_cast<int>(cls->shape[2]);
    config->patchSize = static_cast<int>(patch->shape[2]);
    config->numClasses = static_cast<int>(head->shape[0]);
    config->mlpRatio = static_cast<double>(fc1->shape[0]) / config->hiddenSize;
    const auto grid = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(pos->shape[1] - 1))));
    if (grid * grid != pos->shape[1] - 1)
        return Error::invalidData(
            path, QStringLiteral("pos_embed %1 is not a square patch grid").arg(pos->shapeString()));
    config->imageSize = static_cast<int>(grid) * config->patchSize;
    // The highest block index fixes the depth, so that a block missing in between is reported by name.
    int depth = 0;
    for (const auto& [name, tensor] : tensors) {
        if (!name.startsWith(QLatin1String("blocks.")))
            continue;
        bool ok = false;
        const int block = name.section(QLatin1Char('.'), 1, 1).toInt(&ok);
        if (!ok || block < 0 || block >= TimeSformerConfig::kMaxDepth)
            return Error::invalidData(path,
                                      QStringLiteral("tensor '%1' names block %2; at most %3 blocks are "
                                                     "supported")
                                          .arg(name, name.section(QLatin1Char('.'), 1, 1))
                                          .arg(TimeSformerConfig::kMaxDepth));
        depth = std::max(depth, block + 1);
    }
    config->depth = depth;
    config->qkvBias = tensors.count(QStringLiteral("blocks.0.attn.qkv.bias")) != 0;
    const RawTensor* time = find(tensors, "time_embed");
    if (time && time->shape.size() == 3)
        config->numFrames = static_cast<int>(time->shape[1]);
    if (!attentionKnown) {
        if (tensors.count(QStringLiteral("blocks.0.width_fc.weight")))
            config->attentionType = AttentionType::Axial;
        else if (tensors.count(QStringLiteral("blocks.0.temporal_fc.weight")))
            config->attentionType = AttentionType::DividedSpaceTime;
        else if (tensors.count(QStringLiteral("blocks.0.global_attn.qkv.weight")))
            config->attentionType = AttentionType::LocalGlobal;
        else if (time)
            config->attentionType = AttentionType::JointSpaceTime;
        else
            config->attentionType = AttentionType::SpaceOnly;
    }
    return {};
}

Result<QJsonObject> readJsonObject(const QString& path) {
    Result<QJsonDocument> document = readJsonFile(path);
    if (!document.ok())
        return document.error();
    if (!document->isObject())
        return Error::invalidData(path, QStringLiteral("not a JSON object"));
    return document->object();
}

Status writeJson(const QString& path, const QJsonObject& object) {
    return writeFileAtomically(path, QJsonDocument(object).toJson(QJsonDocument::Indented));
}

} // namespace

Result<TensorMap> readTorchArchiveTensors(const QString& path) {
    Result<TorchArchive> archive = readTorchArchive(path);
    if (!archive.ok())
        return archive.error();
    TensorMap tensors;
    flattenTensors(archive->root, QString(), &tensors);
    return tensors;
}

Result<Checkpoint> loadCheckpoint(const QString& path, const CheckpointOptions& options) {
    const QFileInfo info(path);
    if (!info.exists())
        return Error::notFound(path, QStringLiteral("no such file or directory"));
    Checkpoint checkpoint;
    checkpoint.path = path;
    TensorMap rawTensors;
    bool attentionKnown = false;
    bool headsKnown = false;

    if (info.isDir()) {
        const QDir directory(path);
        const QString configPath = directory.filePath(QStringLiteral("config.json"));
        if (!QFileInfo::exists(configPath))
            return Error::notFound(configPath,
                                   QStringLiteral("a Hugging Face model directory needs config.json"));
        Result<QJsonObject> json = readJsonObject(configPath);
        if (!json.ok())
            return json.error();
        Result<TimeSformerConfig> config = TimeSformerConfig::fromHfJson(json.value(), configPath);
        if (!config.ok())
            return config.error();
        checkpoint.config = config.value();
        // The normalisation lives beside config.json, as Hugging Face keeps it.
        const QString preprocessorPath = directory.filePath(QStringLiteral("preprocessor_config.json"));
        if (QFileInfo::exists(preprocessorPath)) {
            Result<QJsonObject> preprocessor = readJsonObject(preprocessorPath);
            if (!preprocessor.ok())
                return preprocessor.error();
            const Status normalisation =
                checkpoint.config.readHfNormalisation(preprocessor.value(), preprocessorPath);
            if (!normalisation)
                return normalisation.error();
        }
        attentionKnown = json->contains(QLatin1String("attention_type"));
        headsKnown = json->contains(QLatin1String("num_attention_heads"));
        const QString safetensorsPath = directory.filePath(QStringLiteral("model.safetensors"));
        const QString binPath = directory.filePath(QStringLiteral("pytorch_model.bin"));
        if (QFileInfo::exists(safetensorsPath)) {
            Result<TensorMap> tensors = readSafetensors(safetensorsPath);
            if (!tensors.ok())
                return tensors.error();
            rawTensors = std::move(tensors).value();
            checkpoint.format = QStringLiteral("hf safetensors");
        } else if (QFileInfo::exists(binPath)) {
            Result<TensorMap> tensors = readTorchArchiveTensors(binPath);
            if (!tensors.ok())
                return tensors.error();
            rawTensors = std::move(tensors).value();
            checkpoint.format = QStringLiteral("hf pytorch_model.bin");
        } else {
            return Error::notFound(
                path, QStringLiteral("no model.safetensors or pytorch_model.bin in the directory"));
        }
    } else if (info.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) == 0) {
        Result<TensorMap> tensors = readSafetensors(path);
        if (!tensors.ok())
            return tensors.error();
        rawTensors = std::move(tensors).value();
        checkpoint.format = QStringLiteral("safetensors");
    } else {
        Result<TorchArchive> archive = readTorchArchive(path);
        if (!archive.ok())
            return archive.error();
        const PickleRef& root = archive->root;
        if (root->kind != PickleValue::Kind::Dict)
            return Error::invalidData(path, QStringLiteral("the checkpoint's top level is not a dict"));
        if (const PickleRef modelState = root->get(QStringLiteral("model_state"))) {
            flattenTensors(modelState, QString(), &rawTensors);
            checkpoint.format = QStringLiteral("research .pyth");
            const PickleRef cfg = root->get(QStringLiteral("cfg"));
            if (cfg && cfg->isString()) {
                Result<TimeSformerConfig> config = TimeSformerConfig::fromResearchYaml(cfg->text, path);
                if (!config.ok())
                    return config.error();
                checkpoint.config = config.value();
                attentionKnown = cfg->text.contains("ATTENTION_TYPE");
            }
        } else {
            flattenTensors(root, QString(), &rawTensors);
            checkpoint.format = QStringLiteral("torch state dict");
        }
    }

    Result<TensorMap> tensors = toResearchNames(rawTensors, path);
    if (!tensors.ok())
        return tensors.error();
    checkpoint.tensors = std::move(tensors).value();
    const Status inferred = inferFromTensors(checkpoint.tensors, attentionKnown, &checkpoint.config, path);
    if (!inferred.ok())
        return inferred.error();
    if (!headsKnown)
        checkpoint.config.numHeads = std::max(1, checkpoint.config.hiddenSize / 64);
    if (options.numHeads)
        checkpoint.config.numHeads = *options.numHeads;
    if (options.attentionType && *options.attentionType != checkpoint.config.attentionType) {
        checkpoint.config.attentionType = *options.attentionType;
        std::set<QString> used;
        for (const auto& [name, shape] : parameterLayout(checkpoint.config))
            used.insert(name);
        for (auto it = checkpoint.tensors.begin(); it != checkpoint.tensors.end();)
            it = used.count(it->first) ? std::next(it) : checkpoint.tensors.erase(it);
    }
    if (checkpoint.config.labels.size() > checkpoint.config.numClasses)
        checkpoint.config.labels = checkpoint.config.labels.mid(0, checkpoint.config.numClasses);
    const Status valid = checkpoint.config.validate();
    if (!valid.ok())
        return Error::invalidData(path, valid.error().message);
    const Status fits = checkTensors(checkpoint.config, checkpoint.tensors, path);
    if (!fits.ok())
        return fits.error();
    return checkpoint;
}

Status saveHfDirectory(const QString& directory, const TimeSformerConfig& config,
                       const TensorMap& researchTensors) {
    if (!QDir().mkpath(directory))
        return Error::io(directory, QStringLiteral("cannot create the directory"));
    const QDir dir(directory);
    TensorMap hfTensors;
    for (const auto& [name, tensor] : researchTensors)
        hfTensors[researchToHfName(name)] = tensor;
    const Status weights = writeSafetensors(dir.filePath(QStringLiteral("model.safetensors")), hfTensors);
    if (!weights.ok())
        return weights;
    const Status json = writeJson(dir.filePath(QStringLiteral("config.json")), config.toHfJson());
    if (!json.ok())
        return json;
    return writeJson(dir.filePath(QStringLiteral("preprocessor_config.json")), config.toHfPreprocessorJson());
}

} // namespace saccade
