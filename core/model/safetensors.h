#pragma once

#include "core/model/rawtensor.h"
#include "core/util/result.h"

#include <QString>

#include <memory>

namespace saccade {

/// Reads a `.safetensors` file: every offset, size and dtype is checked against the file before a
/// tensor refers to it. The returned tensors share the file's bytes.
Result<TensorMap> readSafetensors(const QString& path);

/// Parses safetensors bytes; `path` only names the source in errors.
Result<TensorMap> parseSafetensors(const std::shared_ptr<const QByteArray>& bytes, const QString& path);

/// The bytes of a safetensors file holding `tensors` as contiguous float32, in name order.
QByteArray serializeSafetensors(const TensorMap& tensors);

/// Writes serializeSafetensors(tensors) atomically.
Status writeSafetensors(const QString& path, const TensorMap& tensors);

} // namespace saccade
