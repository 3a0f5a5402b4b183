#include "core/model/timesformermodel.h"

#include "core/model/cpufeatures.h"
#include "core/model/timesformernet.h"
#include "core/util/allocatorreuse.h"
#include "core/util/datapaths.h"

#include <QThread>

#include <atomic>
#include <new>

namespace saccade {

namespace {

std::atomic<int> g_threadCount{0};

void applyThreadCount() {
    keepFreedBlocksForReuse();
    int threads = g_threadCount.load();
    if (threads <= 0)
        threads = std::max(1, QThread::idealThreadCount());
    if (at::get_num_threads() != threads)
        at::set_num_threads(threads);
}

torch::Tensor toTorch(const RawTensor& tensor) {
    std::vector<float> values = tensor.toFloat();
    return torch::from_blob(values.data(), tensor.shape, torch::kFloat32).clone();
}

FloatArray toFloatArray(const torch::Tensor& tensor) {
    const torch::Tensor cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    FloatArray array;
    array.shape = cpu.sizes().vec();
    array.values.assign(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
    return array;
}

Error internalError(const QString& message) {
    return {ErrorCategory::Internal, message, {}};
}

} // namespace

struct TimeSformerModel::Private {
    TimeSformerConfig config;
    TimeSformerNet net{nullptr};
    QString format;
    QString sourcePath;
    Precision precision = Precision::Float32;
    QString precisionNote;
    torch::Device device{torch::kCPU};
};

TimeSformerModel::TimeSformerModel() : d(std::make_unique<Private>()) {}
TimeSformerModel::~TimeSformerModel() = default;
TimeSformerModel::TimeSformerModel(TimeSformerModel&& other) noexcept = default;
TimeSformerModel& TimeSformerModel::operator=(TimeSformerModel&& other) noexcept = default;

QString TimeSformerModel::resolveSource(const QString& source) {
    return source == QLatin1String("demo") ? dataFile(QStringLiteral("models/demo")) : source;
}

void TimeSformerModel::setThreadCount(int threads) {
    g_threadCount = threads;
    applyThreadCount();
}

int TimeSformerModel::threadCount() {
    applyThreadCount();
    return at::get_num_threads();
}

Result<TimeSformerModel> TimeSformerModel::create(const TimeSformerConfig& config,
                                                  const ModelOptions& options) {
    const Status valid = config.validate();
    if (!valid.ok())
        return valid.error();
    applyThreadCount();
    TimeSformerModel model;
    model.d->config = config;
    model.d->format = QStringLiteral("new");
    try {
        model.d->net = TimeSformerNet(config);
        if (options.allowCuda && torch::cuda::is_available())
            model.d->device = torch::Device(torch::kCUDA);
        if (options.precision == Precision::BFloat16) {
            if (model.d->device.is_cuda() || CpuFeatures::detect().hasFastBfloat16())
                model.d->precision = Precision::BFloat16;
            else
                model.d->precisionNote = QStringLiteral("bfloat16 needs AVX512-BF16 or AMX and this CPU has "
                                                        "neither; running float32");
        }
        model.d->net->to(model.d->device,
                         model.d->precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32);
        model.d->net->eval();
    } catch (const std::exception& error) {
        return internalError(
            QStringLiteral("cannot build the model: %1").arg(QString::fromUtf8(error.what())));
    }
    return model;
}

Result<TimeSformerModel> TimeSformerModel::load(const QString& source, const ModelOptions& options) {
    const QString path = resolveSource(source);
    Result<Checkpoint> checkpoint = loadCheckpoint(path, options.checkpoint);
    if (!checkpoint.ok()) {
        if (source == QLatin1String("demo") && checkpoint.error().category == ErrorCategory::NotFound)
            return Error::notFound(
                path, QStringLiteral("the demo model has not been trained yet (no such directory)"));
        return checkpoint.error();
    }
    Result<TimeSformerModel> created = create(checkpoint->config, options);
    if (!created.ok())
        return created.error();
    TimeSformerModel model = std::move(created).value();
    model.d->format = checkpoint->format;
    model.d->sourcePath = path;
    try {
        torch::NoGradGuard noGrad;
        for (auto& parameter : model.d->net->named_parameters()) {
            const auto it = checkpoint->tensors.find(QString::fromStdString(parameter.key()));
            if (it == checkpoint->tensors.end())
                return Error::invalidData(
                    path, QStringLiteral("missing key %1").arg(QString::fromStdString(parameter.key())));
            // copy_ converts to the model's device and precision.
            parameter.value().copy_(toTorch(it->second));
        }
    } catch (const std::exception& error) {
        return internalError(
            QStringLiteral("%1: cannot load the weights: %2").arg(path, QString::fromUtf8(error.what())));
    }
    return model;
}

const TimeSformerConfig& TimeSformerModel::config() const {
    return d->config;
}

QStringList TimeSformerModel::labels() const {
    return d->config.classNames();
}

QString TimeSformerModel::format() const {
    return d->format;
}

QString TimeSformerModel::sourcePath() const {
    return d->sourcePath;
}

int64_t TimeSformerModel::parameterCount() const {
    int64_t count = 0;
    for (const auto& parameter : d->net->parameters())
        count += parameter.numel();
    return count;
}

Precision TimeSformerModel::precision() const {
    return d->precision;
}

QString TimeSformerModel::precisionNote() const {
    return d->precisionNote;
}

QString TimeSformerModel::deviceName() const {
    return QString::fromStdString(d->device.str());
}

Result<ForwardResult> TimeSformerModel::forward(const FloatArray& video, bool captureAttention) {
    const TimeSformerConfig& config = d->config;
    if (video.shape.size() != 5 || video.shape[1] != 3)
        return Error::invalidArgument(
            QStringLiteral("input must be (B, 3, T, H, W) float32, got %1").arg(video.shapeString()));
    if (static_cast<int64_t>(video.values.size()) != video.elementCount())
        return Error::invalidArgument(
            QStringLiteral("input values do not fill shape %1").arg(video.shapeString()));
    if (video.shape[0] < 1 || video.shape[2] < 1 || video.shape[3] < config.patchSize ||
        video.shape[4] < config.patchSize || video.shape[3] % config.patchSize != 0 ||
        video.shape[4] % config.patchSize != 0)
        return Error::invalidArgument(
            QStringLiteral("input %1: H and W must be positive multiples of the patch "
                           "size %2, B and T at least 1")
                .arg(video.shapeString())
                .arg(config.patchSize));
    applyThreadCount();
    try {
        c10::InferenceMode inference;
        d->net->eval();
        const auto dtype = d->precision == Precision::BFloat16 ? torch::kBFloat16 : torch::kFloat32;
        torch::Tensor input =
            torch::from_blob(const_cast<float*>(video.values.data()), video.shape, torch::kFloat32);
        if (d->device.is_cuda() || dtype != torch::kFloat32)
            input = input.to(d->device, dtype);
        std::vector<CapturedAttention> captured;
        const torch::Tensor logits = d->net->forward(input, captureAttention ? &captured : nullptr);
        ForwardResult result;
        result.logits = toFloatArray(logits);
        for (const CapturedAttention& map : captured)
            result.attention.push_back(
                {QString::fromStdString(map.kind), map.layer, toFloatArray(map.probabilities)});
        return result;
    } catch (const std::bad_alloc&) {
        return Error{ErrorCategory::Internal,
                     QStringLiteral("out of memory running a %1 input").arg(video.shapeString()),
                     {}};
    } catch (const std::exception& error) {
        return internalError(QStringLiteral("forward failed: %1").arg(QString::fromUtf8(error.what())));
    }
}

TensorMap TimeSformerModel::stateTensors() const {
    TensorMap tensors;
    for (const auto& parameter : d->net->named_parameters()) {
        const FloatArray values = toFloatArray(parameter.value());
        tensors[QString::fromStdString(parameter.key())] = RawTensor::fromFloat(values.shape, values.values);
    }
    return tensors;
}

Status TimeSformerModel::saveHfDirectory(const QString& directory) const {
    return saccade::saveHfDirectory(directory, d->config, stateTensors());
}

TimeSformerNet& TimeSformerModel::net() {
    return d->net;
}

} // namespace saccade
