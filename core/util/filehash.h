#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QString>

namespace saccade {

/// Prefix of sampledContentHash() values.
inline constexpr char kSampledHashPrefix[] = "sha256-sampled:";
/// Prefix of fullFileSha256() values.
inline constexpr char kFullHashPrefix[] = "sha256:";

/// A fast, stable identity for a (possibly huge) video: "sha256-sampled:" followed by the hex SHA-256 of
/// the file size as 8 little-endian bytes, then the first, middle and last MiB of the file (the whole file
/// when it is at most 3 MiB). Reads at most 3 MiB whatever the size, so it is cheap enough to compute
/// when a project is opened. Any thread; the file is only read.
Result<QString> sampledContentHash(const QString& path);

/// "sha256:" followed by the hex SHA-256 of the whole file, for model weights and other files whose exact
/// bytes matter. Reads the whole file in chunks; returns Error::cancelled() when `cancel` is set.
Result<QString> fullFileSha256(const QString& path, const CancellationToken& cancel = {});

} // namespace saccade
