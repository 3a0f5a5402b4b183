#include "ui/timeline/thumbnailloader.h"

#include "core/media/frameconverter.h"
#include "core/media/videodecoder.h"

#include <QMetaObject>
#include <QPointer>

namespace saccade {

ThumbnailLoader::ThumbnailLoader(QObject* parent) : QObject(parent) {}

ThumbnailLoader::~ThumbnailLoader() {
    cancel();
}

void ThumbnailLoader::cancel() {
    ++m_generation;
    m_cancel.cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void ThumbnailLoader::request(const QString& path, const QVector<qint64>& frames, QSize bounds) {
    cancel();
    m_cancel = CancellationToken();
    const quint64 generation = m_generation;
    const CancellationToken token = m_cancel;
    QPointer<ThumbnailLoader> self(this);
    m_thread = std::thread([self, path, frames, bounds, generation, token] {
        VideoDecoder::Options options;
        options.threadCount = 1;
        options.cancel = token;
        // Failures here only leave gaps in the filmstrip; the player reports problems with the file.
        Result<std::unique_ptr<VideoDecoder>> decoder = VideoDecoder::open(path, options);
        if (!decoder)
            return;
        FrameConverter converter;
        for (qint64 frame : frames) {
            if (token.isCancelled())
                return;
            Result<VideoFrame> decoded = (*decoder)->frameAt(frame);
            if (!decoded)
                continue;
            Result<QImage> image = converter.toImage(*decoded, bounds);
            if (!image || token.isCancelled())
                continue;
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, frame, picture = *image] {
                    if (self)
                        self->deliver(generation, frame, picture);
                },
                Qt::QueuedConnection);
        }
    });
}

void ThumbnailLoader::deliver(quint64 generation, qint64 frame, const QImage& image) {
    if (generation == m_generation)
        Q_EMIT thumbnailReady(frame, image);
}

} // namespace saccade
