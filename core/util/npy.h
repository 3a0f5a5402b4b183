#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <vector>

namespace saccade {

/// A dense float32 array in C order: the plain value that carries tensors across module boundaries
/// (model inputs, logits, attention maps) and to and from `.npy` files.
struct FloatArray {
    std::vector<int64_t> shape;
    std::vector<float> values;

    /// Product of the dimensions (1 for a scalar).
    int64_t elementCount() const;
    /// "(2, 3, 8)" for messages.
    QString shapeString() const;
};

/// Reads a `.npy` file holding little-endian float32 (`<f4`) in C order. Other dtypes, Fortran order,
/// malformed headers and truncated data are reported as InvalidData/Unsupported naming the file.
Result<FloatArray> readNpy(const QString& path);

/// Parses the bytes of a `.npy` file; `path` only names the source in errors.
Result<FloatArray> parseNpy(const QByteArray& bytes, const QString& path);

/// Writes `array` as a version 1.0 `.npy` file (version 2.0 when the header needs it), atomically.
Status writeNpy(const QString& path, const FloatArray& array);

/// The bytes writeNpy() stores.
QByteArray serializeNpy(const FloatArray& array);

} // namespace saccade
