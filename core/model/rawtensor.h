#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace saccade {

/// Element types found in checkpoints.
enum class DType { Float32 = 1, Float16, BFloat16, Float64, Int64, Int32, Int16, Int8, UInt8, Bool };

int dtypeSize(DType dtype);
/// safetensors spelling: "F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL".
QString dtypeName(DType dtype);
std::optional<DType> parseDtypeName(const QString& name);

/// A tensor read from a checkpoint without torch: a view (shape, element strides, byte offset) into
/// bytes that several tensors may share (a whole safetensors file or one torch storage). Immutable
/// once built; safe to copy and to read from any thread.
struct RawTensor {
    DType dtype = DType::Float32;
    std::vector<int64_t> shape;
    /// Element strides; empty means C-contiguous.
    std::vector<int64_t> strides;
    int64_t byteOffset = 0;
    std::shared_ptr<const QByteArray> storage;

    /// More elements than any model holds: a view this large is refused rather than allocated.
    static constexpr int64_t kMaxElements = int64_t(1) << 32;

    /// Product of the dimensions; -1 when a dimension is negative or the product overflows.
    int64_t elementCount() const;
    QString shapeString() const;
    /// Whether every element the view reaches lies inside the storage (strides non-negative, at most
    /// kMaxElements elements, no arithmetic overflow).
    bool fitsStorage() const;
    /// Elements converted to float32 in C order (float16/bfloat16/float64/integers widen or narrow).
    std::vector<float> toFloat() const;

    /// A contiguous float32 tensor owning a copy of `values`.
    static RawTensor fromFloat(std::vector<int64_t> shape, const std::vector<float>& values);
};

/// Tensors by name; ordered so that files written from it are reproducible.
using TensorMap = std::map<QString, RawTensor>;

} // namespace saccade
