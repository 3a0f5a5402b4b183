#pragma once

#include "core/util/result.h"

#include <QImage>
#include <QString>

namespace saccade {

/// Encodes `image` in memory and writes it with writeFileAtomically(): QImage::save() writes through a
/// buffered QFile whose failed flush is not reported, which leaves empty PNGs on a full disk.
Status writeImageFile(const QString& path, const QImage& image, const char* format = "PNG");

} // namespace saccade
