#include "core/model/rawtensor.h"

#include <QStringList>

#include <cstring>

namespace saccade {

namespace {

struct DTypeInfo {
    DType dtype;
    int size;
    const char* name;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Float32, 4, "F32"}, {DType::Float16, 2, "F16"}, {DType::BFloat16, 2, "BF16"},
    {DType::Float64, 8, "F64"}, {DType::Int64, 8, "I64"},   {DType::Int32, 4, "I32"},
    {DType::Int16, 2, "I16"},   {DType::Int8, 1, "I8"},     {DType::UInt8, 1, "U8"},
    {DType::Bool, 1, "BOOL"},
};

float halfToFloat(uint16_t half) {
    const uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
    uint32_t exponent = (half >> 10) & 0x1f;
    uint32_t mantissa = half & 0x3ff;
    uint32_t bits = 0;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa != 0) {
        // Subnormal half: normalise into a float32 exponent.
        exponent = 113;
        while ((mantissa & 0x400) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
    } else {
        bits = sign;
    }
    float value = 0;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
}

template <typename T> float readAs(const char* at) {
    T value;
    std::memcpy(&value, at, sizeof(T));
    return static_cast<float>(value);
}

float readElement(DType dtype, const char* at) {
    switch (dtype) {
    case DType::Float32:
        return readAs<float>(at);
    case DType::Float16: {
        uint16_t half = 0;
        std::memcpy(&half, at, 2);
        return halfToFloat(half);
    }
    case DType::BFloat16: {
        uint16_t upper = 0;
        std::memcpy(&upper, at, 2);
        const uint32_t bits = static_cast<uint32_t>(upper) << 16;
        float value = 0;
        std::memcpy(&value, &bits, sizeof(value));
        return value;
    }
    case DType::Float64:
        return readAs<double>(at);
    case DType::Int64:
        return readAs<int64_t>(at);
    case DType::Int32:
        return readAs<int32_t>(at);
    case DType::Int16:
        return readAs<int16_t>(at);
    case DType::Int8:
        return readAs<int8_t>(at);
    case DType::UInt8:
    case DType::Bool:
        return readAs<uint8_t>(at);
    }
    return 0;
}

std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& shape) {
    std::vector<int64_t> strides(shape.size(), 1);
    for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
        strides[static_cast<size_t>(i)] =
            strides[static_cast<size_t>(i) + 1] * shape[static_cast<size_t>(i) + 1];
    return strides;
}

} // namespace

int dtypeSize(DType dtype) {
    for (const DTypeInfo& info : kDTypes) {
        if (info.dtype == dtype)
            return info.size;
    }
    return 1;
}

QString dtypeName(DType dtype) {
    for (const DTypeInfo& info : kDTypes) {
        if (info.dtype == dtype)
            return QString::fromLatin1(info.name);
    }
    return QStringLiteral("?");
}

std::optional<DType> parseDtypeName(const QString& name) {
    for (const DTypeInfo& info : kDTypes) {
        if (name == QLatin1String(info.name))
            return info.dtype;
    }
    return std::nullopt;
}

int64_t RawTensor::elementCount() const {
    int64_t count = 1;
    for (int64_t dimension : shape) {
        if (dimension < 0 || __builtin_mul_overflow(count, dimension, &count))
            return -1;
    }
    return count;
}

QString RawTensor::shapeString() const {
    QStringList parts;
    for (int64_t dimension : shape)
        parts << QString::number(dimension);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

bool RawTensor::fitsStorage() const {
    // Shapes, strides and offsets come from the file: every product and sum is checked, since a stride
    // of 2^61 would otherwise wrap around and pass.
    if (!storage || byteOffset < 0 || (!strides.empty() && strides.size() != shape.size()))
        return false;
    const int64_t count = elementCount();
    if (count < 0 || count > kMaxElements)
        return false;
    if (count == 0)
        return true;
    int64_t lastElement = 0;
    int64_t contiguousStep = 1;
    for (size_t back = shape.size(); back-- > 0;) {
        const int64_t step = strides.empty() ? contiguousStep : strides[back];
        int64_t reach = 0;
        if (step < 0 || __builtin_mul_overflow(shape[back] - 1, step, &reach) ||
            __builtin_add_overflow(lastElement, reach, &lastElement))
            return false;
        if (strides.empty() && __builtin_mul_overflow(contiguousStep, shape[back], &contiguousStep))
            return false;
    }
    int64_t end = 0;
    if (__builtin_add_overflow(lastElement, int64_t(1), &end) ||
        __builtin_mul_overflow(end, int64_t(dtypeSize(dtype)), &end) ||
        __builtin_add_overflow(end, byteOffset, &end))
        return false;
    return end <= storage->size();
}

std::vector<float> RawTensor::toFloat() const {
    if (!fitsStorage())
        return {};
    const int64_t count = elementCount();
    std::vector<float> values(static_cast<size_t>(count));
    if (count == 0)
        return values;
    const std::vector<int64_t> steps = strides.empty() ? contiguousStrides(shape) : strides;
    const int size = dtypeSize(dtype);
    const char* base = storage->constData() + byteOffset;
    if (steps == contiguousStrides(shape) && dtype == DType::Float32) {
        std::memcpy(values.data(), base, static_cast<size_t>(count) * sizeof(float));
        return values;
    }
    std::vector<int64_t> index(shape.size(), 0);
    for (int64_t i = 0; i < count; ++i) {
        int64_t element = 0;
        for (size_t d = 0; d < shape.size(); ++d)
            element += index[d] * steps[d];
        values[static_cast<size_t>(i)] = readElement(dtype, base + element * size);
        for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
            if (++index[static_cast<size_t>(d)] < shape[static_cast<size_t>(d)])
                break;
            index[static_cast<size_t>(d)] = 0;
        }
    }
    return values;
}

RawTensor RawTensor::fromFloat(std::vector<int64_t> shape, const std::vector<float>& values) {
    RawTensor tensor;
    tensor.shape = std::move(shape);
    tensor.storage = std::make_shared<const QByteArray>(
        reinterpret_cast<const char*>(values.data()), static_cast<qsizetype>(values.size() * sizeof(float)));
    return tensor;
}

} // namespace saccade
