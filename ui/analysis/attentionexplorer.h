#pragma once

#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"
#include "core/inference/windowresult.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <memory>
#include <vector>

namespace saccade {

/// Raw attention of one layer, or the rollout through all layers.
enum class AttentionSource { Raw = 1, Rollout };

/// What the attention overlay shows; the controls edit it.
struct ExplorerChoices {
    /// -1: the last layer.
    int layer = -1;
    /// -1: all heads fused by `fusion`.
    int head = -1;
    HeadFusion fusion = HeadFusion::Mean;
    /// Share of the lowest entries set to zero: of the shown map for raw attention, of every rollout
    /// factor's rows for the rollout.
    double discardRatio = 0.0;
    AttentionSource source = AttentionSource::Raw;
    Colormap colormap = Colormap::Viridis;

    bool operator==(const ExplorerChoices& other) const;
    bool operator!=(const ExplorerChoices& other) const { return !(*this == other); }
};

/// One patch of one sampled frame of the window.
struct PatchSelection {
    /// Index into the window's sampled frames.
    int sample = -1;
    /// Patch index n = row * Wp + column.
    int patch = -1;
    bool isValid() const { return sample >= 0 && patch >= 0; }
};

/// The (Hp, Wp) map the overlay shows, with what it is.
struct DisplayedMap {
    std::vector<float> values;
    int rows = 0;
    int columns = 0;
    /// Value range of `values` (what the colour bar spans).
    float low = 0.0f;
    float high = 0.0f;
    /// Sampled frame the map belongs to (index and source frame), -1 without a map.
    int sample = -1;
    qint64 sampledFrame = -1;
    /// "Layer 12 · head 3", "Layer 12 · max of heads", "Rollout · mean".
    QString title;
    /// A rollout with the chosen options is being computed; the default rollout is shown meanwhile.
    bool pending = false;

    bool isEmpty() const { return values.empty(); }
};

/// What a selected patch attends to, for the patch panel.
struct PatchAttention {
    PatchSelection selection;
    int rows = 0;
    int columns = 0;
    int frames = 0;
    /// Its row of the spatial attention over the patches of its frame (Hp * Wp); empty until the full
    /// spatial maps of the window have arrived.
    std::vector<float> spatialRow;
    /// Its temporal attention (T x T, row = query frame) for the chosen head or fusion, and for every
    /// head; empty for models without temporal attention.
    std::vector<float> temporal;
    std::vector<std::vector<float>> temporalPerHead;
    /// The model's crop box in pixels of a `frameSize` frame (what the patches tile).
    QRect cropBox;
    QSize frameSize;
    QString title;
};

/// The state of the attention explorer: the window on screen, the sampled frame nearest the playhead,
/// the overlay choices and the selected patch, and the map each view should show. Computes maps from
/// the cached WindowResult on the GUI thread (a few thousand values each); only a rollout with
/// non-default options is computed on a thread pool, from the window's full spatial maps, which the
/// owner fetches when fullSpatialNeeded() asks (they are kept for the current window only).
class AttentionExplorer : public QObject {
    Q_OBJECT
public:
    explicit AttentionExplorer(QObject* parent = nullptr);
    ~AttentionExplorer() override;

    /// Layer and head counts of the model (for stepping before any window arrives).
    void setModelShape(int layers, int heads);
    int layers() const;
    int heads() const;

    /// Shows `result` (copied); keeps the choices, drops the patch's full maps of another window.
    void setWindow(const WindowResult& result);
    void clearWindow();
    bool hasWindow() const { return m_hasWindow; }
    const WindowResult& window() const { return m_window; }

    /// The frame on screen; picks the nearest sampled frame of the window.
    void setPlayhead(qint64 frame);
    qint64 playhead() const { return m_playhead; }
    /// Index of the sampled frame nearest `frame` (the earlier one on ties), -1 for no frames.
    static int nearestSample(const std::vector<qint64>& frames, qint64 frame);
    int currentSample() const { return m_sample; }
    /// "map of frame 1234 (nearest sampled)" when the playhead is between sampled frames, "map of
    /// frame 1234" on one; empty without a map.
    QString sampleNote() const;

    const ExplorerChoices& choices() const { return m_choices; }
    void setChoices(const ExplorerChoices& choices);
    void setLayer(int layer);
    void setHead(int head);
    void setFusion(HeadFusion fusion);
    void setDiscardRatio(double ratio);
    void setSource(AttentionSource source);
    void setColormap(Colormap colormap);
    /// Steps the layer or head by `delta`, wrapping through "last" / "fused".
    void stepLayer(int delta);
    void stepHead(int delta);
    /// The layer shown (the last one for -1).
    int effectiveLayer() const;

    const DisplayedMap& map() const { return m_map; }

    /// The patch under `framePoint` (frame pixels of the window's frame size) in the current sampled
    /// frame; false (and nothing changes) outside the attention crop box.
    bool selectPatchAt(const QPointF& framePoint);
    void selectPatch(const PatchSelection& selection);
    void clearPatch();
    const PatchSelection& patch() const { return m_patch; }
    /// Where patch `patch` lies in frame pixels, empty without a window.
    QRectF patchRect(int patch) const;
    PatchAttention patchAttention() const;

    /// The full spatial maps (L, T, A, 1+N, 1+N) of window `windowIndex`, ignored for another window.
    void setFullSpatial(int windowIndex, const FloatArray& maps);
    void setFullSpatialFailed(int windowIndex, const QString& reason);
    bool hasFullSpatial() const { return m_fullSpatial && !m_fullSpatial->values.empty(); }
    /// Why the patch's spatial row is missing ("computing…", an error), empty when it is there.
    QString fullSpatialStatus() const { return m_fullStatus; }

    /// Blocks until a rollout being computed is done (tests and benchmarks).
    void waitForRollout();

Q_SIGNALS:
    void choicesChanged();
    /// The map of the overlay changed (window, sampled frame, choices, a rollout computed).
    void mapChanged();
    void windowChanged();
    void patchChanged();
    /// The window's full spatial maps are wanted (a patch was selected, or a rollout with options).
    void fullSpatialNeeded(int windowIndex);

private:
    /// setChoices() with one field changed.
    template <typename T> void setChoice(T ExplorerChoices::*field, T value) {
        ExplorerChoices next = m_choices;
        next.*field = value;
        setChoices(next);
    }
    void updateMap();
    void requestFullSpatialIfNeeded();
    bool rolloutNeedsOptions() const;
    void startRollout();
    void onRolloutDone();

    int m_layers = 0;
    int m_heads = 0;
    WindowResult m_window;
    bool m_hasWindow = false;
    qint64 m_playhead = 0;
    int m_sample = -1;
    ExplorerChoices m_choices;
    DisplayedMap m_map;
    PatchSelection m_patch;

    // Shared with a rollout being computed (about 180 MB for the base model: never copied).
    std::shared_ptr<const FloatArray> m_fullSpatial;
    int m_fullRequestedWindow = -1;
    QString m_fullStatus;
    bool m_fullFailed = false;

    // Rollout with the chosen options for the current window; m_rolloutKey says which options.
    FloatArray m_rollout;
    QString m_rolloutKey;
    QString m_rolloutRunningKey;
    struct RolloutOutcome {
        int windowIndex = -1;
        QString key;
        FloatArray rollout;
        QString error;
    };
    QFutureWatcher<RolloutOutcome>* m_rolloutWatcher = nullptr;
};

/// "mean", "max", "min" and back.
QString headFusionName(HeadFusion fusion);
HeadFusion parseHeadFusion(const QString& name);

} // namespace saccade
