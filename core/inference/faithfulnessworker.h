#pragma once

#include "core/inference/faithfulness.h"
#include "core/util/cancellationtoken.h"
#include "core/util/error.h"
#include "core/util/npy.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace saccade {

/// One faithfulness check of an analysed window.
struct FaithfulnessRequest {
    /// The model that analysed the window (checkpoint, Hugging Face folder, "demo", "random:PRESET").
    QString modelSource;
    /// Preprocessing preset; empty: the model's.
    QString preset;
    QString videoPath;
    /// The window's sampled source frames.
    std::vector<qint64> frames;
    /// The map whose top patches are masked: (T, Hp, Wp) over the window's centre crop.
    FloatArray map;
    FaithfulnessOptions options;
};

/// Runs faithfulness checks on a thread of its own: decodes and preprocesses the window's centre crop,
/// then FaithfulnessCheck::run with the model. The model is loaded on first use and kept for the next
/// check of the same source, so the analysis worker's model is never shared across threads. Lives on
/// the thread that creates it; answers with queued signals. A new start() or cancel() supersedes the
/// check in flight (its result is dropped).
class FaithfulnessWorker : public QObject {
    Q_OBJECT
public:
    explicit FaithfulnessWorker(QObject* parent = nullptr);
    /// Cancels and waits for the thread (at most one forward pass).
    ~FaithfulnessWorker() override;

    void start(const FaithfulnessRequest& request);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    /// `stage` says what runs ("Loading the model", "Masked run 3 of 7").
    void progressChanged(double fraction, const QString& stage);
    void finished(const saccade::FaithfulnessResult& result);
    void failed(const saccade::Error& error);

private:
    struct Engine;
    void reply(quint64 generation, std::function<void()> report);

    QThread m_thread;
    QObject* m_context = nullptr;
    std::unique_ptr<Engine> m_engine;
    std::atomic<quint64> m_generation{0};
    CancellationToken m_cancel;
    bool m_running = false;
};

} // namespace saccade
