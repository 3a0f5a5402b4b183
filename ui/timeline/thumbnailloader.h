#pragma once

#include "core/util/cancellationtoken.h"

#include <QImage>
#include <QObject>
#include <QVector>

#include <memory>
#include <thread>

namespace saccade {

/// Decodes filmstrip thumbnails on a background thread with its own decoder, so the player's decode
/// worker never waits for them. A new request cancels the one before; thumbnails of a cancelled
/// request are not delivered. Lives on the GUI thread; thumbnailReady() arrives there.
class ThumbnailLoader : public QObject {
    Q_OBJECT
public:
    explicit ThumbnailLoader(QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    /// Decodes `frames` of `path`, each scaled to fit `bounds`, in order.
    void request(const QString& path, const QVector<qint64>& frames, QSize bounds);
    void cancel();

Q_SIGNALS:
    void thumbnailReady(qint64 frame, const QImage& image);

private:
    void deliver(quint64 generation, qint64 frame, const QImage& image);

    quint64 m_generation = 0;
    CancellationToken m_cancel;
    std::thread m_thread;
};

} // namespace saccade
