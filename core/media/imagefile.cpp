#include "core/media/imagefile.h"

#include "core/util/atomicfile.h"

#include <QBuffer>

namespace saccade {

Status writeImageFile(const QString& path, const QImage& image, const char* format) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, format))
        return Error::io(path, QStringLiteral("cannot encode the image as %1").arg(QLatin1String(format)));
    return writeFileAtomically(path, bytes);
}

} // namespace saccade
