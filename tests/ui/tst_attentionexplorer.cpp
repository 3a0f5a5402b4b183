#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"
#include "core/inference/windowresult.h"
#include "ui/analysis/attentionexplorer.h"
#include "ui/analysis/attentiongrid.h"
#include "ui/analysis/attentionpanel.h"
#include "ui/analysis/colorbar.h"
#include "ui/analysis/explorerbinding.h"
#include "ui/analysis/patchattentionpanel.h"
#include "ui/plots/qcustomplotheader.h"
#include "ui/settings/appsettings.h"
#include "ui/video/videoview.h"

#include <QApplication>
#include <QComboBox>
#include <QFontMetrics>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace saccade;

namespace {

constexpr int kLayers = 2;
constexpr int kHeads = 3;
constexpr int kFrames = 4;
constexpr int kGrid = 3;
constexpr int kPatches = kGrid * kGrid;
// Frame, view and crop box: 61 pixels per patch, so pixel 30 of a patch is its centre exactly (and the
// view is above its minimum size).
constexpr int kCell = 61;
constexpr int kSide = kGrid * kCell;

// The patch head `a` of layer `l` looks at most in frame `t`.
int peakPatch(int l, int a, int t) {
    return (l * 7 + a * 3 + t * 2) % kPatches;
}

// A window with a distinct peak per (layer, head, frame), frames 10, 20, 30, 40 of a 183x183 video.
WindowResult makeWindow() {
    WindowResult window;
    window.windowIndex = 3;
    window.generation = 7;
    window.frames = {10, 20, 30, 40};
    window.frameSize = QSize(kSide, kSide);
    window.cropBoxes = {QRect(0, 0, kSide, kSide)};
    window.spatial.shape = {kLayers, kHeads, kFrames, kGrid, kGrid};
    for (int l = 0; l < kLayers; ++l)
        for (int a = 0; a < kHeads; ++a)
            for (int t = 0; t < kFrames; ++t)
                for (int p = 0; p < kPatches; ++p)
                    window.spatial.values.push_back(p == peakPatch(l, a, t) ? 0.6f
                                                                            : 0.01f * float(1 + (p + a) % 4));
    window.temporal.shape = {kLayers, kHeads, kPatches, kFrames, kFrames};
    for (int l = 0; l < kLayers; ++l)
        for (int a = 0; a < kHeads; ++a)
            for (int p = 0; p < kPatches; ++p)
                for (int q = 0; q < kFrames; ++q)
                    for (int k = 0; k < kFrames; ++k)
                        window.temporal.values.push_back(
                            float(1000 * l + 100 * a + 10 * p + q * kFrames + k));
    window.rollout.shape = {kFrames, kGrid, kGrid};
    for (int i = 0; i < kFrames * kPatches; ++i)
        window.rollout.values.push_back(float((i * 5) % 11));
    return window;
}

// Full spatial maps (L, T, A, 1+N, 1+N) whose rows are proper distributions with known entries.
FloatArray makeFull() {
    FloatArray full;
    const int size = 1 + kPatches;
    full.shape = {kLayers, kFrames, kHeads, size, size};
    for (int l = 0; l < kLayers; ++l)
        for (int t = 0; t < kFrames; ++t)
            for (int a = 0; a < kHeads; ++a)
                for (int r = 0; r < size; ++r) {
                    std::vector<float> row(static_cast<size_t>(size));
                    float sum = 0.0f;
                    for (int c = 0; c < size; ++c) {
                        row[size_t(c)] = 1.0f + float((l * 13 + t * 7 + a * 5 + r * 3 + c) % 10);
                        sum += row[size_t(c)];
                    }
                    for (float value : row)
                        full.values.push_back(value / sum);
                }
    return full;
}

// Temporal maps as rows that sum to one, for a rollout.
FloatArray normalisedTemporal() {
    FloatArray temporal;
    temporal.shape = {kLayers, kHeads, kPatches, kFrames, kFrames};
    for (int i = 0; i < kLayers * kHeads * kPatches * kFrames; ++i) {
        std::vector<float> row(kFrames);
        float sum = 0.0f;
        for (int k = 0; k < kFrames; ++k) {
            row[size_t(k)] = 1.0f + float((i * 3 + k * 7) % 5);
            sum += row[size_t(k)];
        }
        for (float value : row)
            temporal.values.push_back(value / sum);
    }
    return temporal;
}

// Everything the explorer drives, wired as in the window.
struct Rig {
    AttentionExplorer explorer;
    VideoView video;
    AttentionPanel panel;
    AttentionGrid grid;
    PatchAttentionPanel patch;
    ExplorerBinding binding;

    explicit Rig(AppSettings* settings = nullptr)
        : binding(&explorer, {&video, &panel, &grid, &patch}, settings) {
        video.resize(kSide, kSide);
        video.setFrameGeometry(QSize(kSide, kSide), 1.0);
        QImage black(kSide, kSide, QImage::Format_RGB32);
        black.fill(Qt::black);
        video.setImage(black);
        video.setHudVisible(false);
        video.setOverlayOpacity(1.0);
        explorer.setModelShape(kLayers, kHeads);
        panel.setModelShape(kLayers, kHeads);
        grid.resize(400, 300);
    }

    QImage shot() {
        QImage image(video.size(), QImage::Format_RGB32);
        video.render(&image);
        return image;
    }
};

QRgb cellCentre(const QImage& shot, int patch) {
    return shot.pixel((patch % kGrid) * kCell + 30, (patch / kGrid) * kCell + 30);
}

// The patch whose centre pixel is brightest.
int brightestCell(const QImage& shot) {
    int best = 0;
    for (int p = 1; p < kPatches; ++p)
        if (qGray(cellCentre(shot, p)) > qGray(cellCentre(shot, best)))
            best = p;
    return best;
}

void selectCombo(QComboBox* combo, int data) {
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index);
}

int argmax(const std::vector<float>& values) {
    return int(std::max_element(values.begin(), values.end()) - values.begin());
}

} // namespace

class AttentionExplorerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void brightestOverlayCellIsTheSelectedHeadsArgmax() {
        Rig rig;
        rig.explorer.setPlayhead(20);
        rig.explorer.setWindow(makeWindow());
        QCOMPARE(rig.explorer.currentSample(), 1);
        for (int layer = 0; layer < kLayers; ++layer)
            for (int head = 0; head < kHeads; ++head) {
                selectCombo(rig.panel.layerCombo(), layer);
                selectCombo(rig.panel.headCombo(), head);
                QCOMPARE(rig.explorer.choices().layer, layer);
                QCOMPARE(rig.explorer.choices().head, head);
                QCOMPARE(brightestCell(rig.shot()), peakPatch(layer, head, 1));
            }
        // The colour bar spans the shown map's values.
        QCOMPARE(rig.panel.colorBar()->low(), double(0.01f));
        QCOMPARE(rig.panel.colorBar()->high(), double(0.6f));
    }

    void maxFusionPeaksWhereTheMeanDoesNot() {
        WindowResult window = makeWindow();
        // Frame 0 of layer 0: head 0 is sharp on patch 0, heads 1 and 2 broad on patch 4.
        const std::vector<std::vector<float>> heads = {
            {0.92f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f},
            {0.0f, 0.05f, 0.05f, 0.05f, 0.6f, 0.05f, 0.1f, 0.05f, 0.05f},
            {0.0f, 0.05f, 0.05f, 0.05f, 0.6f, 0.05f, 0.05f, 0.1f, 0.05f}};
        for (int a = 0; a < kHeads; ++a)
            std::copy(heads[size_t(a)].begin(), heads[size_t(a)].end(),
                      window.spatial.values.begin() + (a * kFrames + 0) * kPatches);
        Rig rig;
        rig.explorer.setPlayhead(10);
        rig.explorer.setWindow(window);
        selectCombo(rig.panel.layerCombo(), 0);
        selectCombo(rig.panel.headCombo(), -1);
        selectCombo(rig.panel.fusionCombo(), int(HeadFusion::Mean));
        QCOMPARE(brightestCell(rig.shot()), 4);
        selectCombo(rig.panel.fusionCombo(), int(HeadFusion::Max));
        QCOMPARE(rig.explorer.choices().fusion, HeadFusion::Max);
        QCOMPARE(brightestCell(rig.shot()), 0);
        selectCombo(rig.panel.fusionCombo(), int(HeadFusion::Min));
        QVERIFY(brightestCell(rig.shot()) != 0);
    }

    void discardLowestBlanksTheWeakestPatches() {
        Rig rig;
        rig.explorer.setPlayhead(10);
        rig.explorer.setWindow(makeWindow());
        selectCombo(rig.panel.layerCombo(), 0);
        selectCombo(rig.panel.headCombo(), 0);
        rig.panel.discardSlider()->setValue(18); // 90%: 8 of 9 patches set to zero
        QCOMPARE(rig.explorer.choices().discardRatio, 0.9);
        const std::vector<float>& map = rig.explorer.map().values;
        QCOMPARE(int(std::count(map.begin(), map.end(), 0.0f)), kPatches - 1);
        QCOMPARE(argmax(map), peakPatch(0, 0, 0));
        QCOMPARE(rig.panel.colorBar()->low(), 0.0);
    }

    void colormapsColourTheOverlayAsTheMapSays() {
        Rig rig;
        rig.explorer.setPlayhead(30);
        rig.explorer.setWindow(makeWindow());
        selectCombo(rig.panel.layerCombo(), 1);
        selectCombo(rig.panel.headCombo(), 1);
        const int peak = peakPatch(1, 1, 2);
        // The lowest value of head 1 of layer 1 is 0.01 (patches with (p + 1) % 4 == 0).
        int low = 0;
        while (low == peak || (low + 1) % 4 != 0)
            ++low;
        for (Colormap colormap : {Colormap::Viridis, Colormap::Inferno, Colormap::Jet, Colormap::Grey}) {
            selectCombo(rig.panel.colormapCombo(), int(colormap));
            QCOMPARE(rig.explorer.choices().colormap, colormap);
            QCOMPARE(rig.panel.colorBar()->colormap(), colormap);
            const QImage shot = rig.shot();
            QCOMPARE(QColor(cellCentre(shot, peak)), QColor(OverlayRenderer::colorAt(colormap, 1.0)));
            QCOMPARE(QColor(cellCentre(shot, low)), QColor(OverlayRenderer::colorAt(colormap, 0.0)));
        }
    }

    void gridSelectsTheClickedLayerAndHead() {
        Rig rig;
        rig.explorer.setPlayhead(40);
        rig.explorer.setWindow(makeWindow());
        QCOMPARE(rig.grid.layerCount(), kLayers);
        QCOMPARE(rig.grid.headCount(), kHeads);
        // Every cell is its map, with its peak and entropy.
        for (int layer = 0; layer < kLayers; ++layer)
            for (int head = 0; head < kHeads; ++head) {
                const AttentionGrid::CellStats stats = rig.grid.stats(layer, head);
                QCOMPARE(stats.peakPatch, peakPatch(layer, head, 3));
                QCOMPARE(stats.peak, 0.6f);
                QCOMPARE(stats.entropyBits, AttentionAnalysis::entropyBits(rig.grid.cellMap(layer, head)));
            }
        QTest::mouseClick(&rig.grid, Qt::LeftButton, Qt::NoModifier, rig.grid.cellRect(1, 2).center());
        QCOMPARE(rig.explorer.choices().layer, 1);
        QCOMPARE(rig.explorer.choices().head, 2);
        QCOMPARE(rig.panel.layerCombo()->currentData().toInt(), 1);
        QCOMPARE(brightestCell(rig.shot()), peakPatch(1, 2, 3));
        // The last column fuses the heads.
        QTest::mouseClick(&rig.grid, Qt::LeftButton, Qt::NoModifier, rig.grid.cellRect(0, kHeads).center());
        QCOMPARE(rig.explorer.choices().layer, 0);
        QCOMPARE(rig.explorer.choices().head, -1);
        // Hovering tells the cell's entropy and peak.
        const QPointF over = rig.grid.cellRect(1, 0).center();
        QMouseEvent move(QEvent::MouseMove, over, rig.grid.mapToGlobal(over), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(&rig.grid, &move);
        QVERIFY(rig.grid.hoverText().contains(QStringLiteral("Layer 2")));
        QVERIFY(rig.grid.hoverText().contains(QStringLiteral("entropy")));
        QVERIFY(rig.grid.hoverText().contains(QStringLiteral("peak 0.6")));
    }

    void frameLabelsThinOutRatherThanOverlap() {
        PatchAttentionPanel panel;
        panel.resize(900, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        const auto labelsFor = [&](const std::vector<qint64>& frames) {
            panel.setPatch(PatchAttention(), frames, Colormap::Viridis, QString());
            panel.barPlot()->replot();
            QCoreApplication::processEvents(); // the relabelling replot after layout is queued
            return panel.frameTickLabels();
        };
        // Eight samples of a window at the start of a video: every frame number fits.
        const QStringList early = labelsFor({0, 9, 18, 27, 36, 45, 54, 63});
        QCOMPARE(early, QStringList({"0", "9", "18", "27", "36", "45", "54", "63"}));
        // Sixteen four-digit frame numbers do not: some go, and no two shown ones overlap.
        std::vector<qint64> late;
        for (int k = 0; k < 16; ++k)
            late.push_back(3000 + 9 * k);
        const QStringList labels = labelsFor(late);
        QCOMPARE(labels.size(), 16);
        QCOMPARE(labels.first(), QStringLiteral("3000"));
        QVERIFY(labels.contains(QString()));
        const QFontMetrics metrics(panel.barPlot()->xAxis->tickLabelFont());
        const QCPAxis* axis = panel.barPlot()->xAxis;
        int previous = -1;
        for (int k = 0; k < labels.size(); ++k) {
            if (labels[k].isEmpty())
                continue;
            QCOMPARE(labels[k], QString::number(late[size_t(k)]));
            if (previous >= 0)
                QVERIFY(axis->coordToPixel(k) - axis->coordToPixel(previous) >=
                        metrics.horizontalAdvance(labels[k]));
            previous = k;
        }
    }

    void patchClickPlotsItsRowAndTemporalAttention() {
        Rig rig;
        rig.explorer.setPlayhead(30);
        rig.explorer.setWindow(makeWindow());
        selectCombo(rig.panel.layerCombo(), 1);
        selectCombo(rig.panel.headCombo(), 2);
        QSignalSpy needed(&rig.explorer, &AttentionExplorer::fullSpatialNeeded);
        // Patch (row 2, column 1) = 7, clicked on the frame.
        QTest::mouseClick(&rig.video, Qt::LeftButton, Qt::NoModifier, QPoint(kCell + 30, 2 * kCell + 30));
        QCOMPARE(rig.explorer.patch().patch, 7);
        QCOMPARE(rig.explorer.patch().sample, 2);
        QCOMPARE(rig.video.highlightedPatch(), QRectF(kCell, 2 * kCell, kCell, kCell));
        QCOMPARE(needed.count(), 1);
        QCOMPARE(needed.first().at(0).toInt(), 3);
        QVERIFY(rig.patch.statusText().contains(QStringLiteral("Computing")));
        // Temporal: patch 7, layer 1, head 2 -> values 1000 + 200 + 70 + q * T + k.
        const std::vector<double> heat = rig.patch.heatMapValues();
        QCOMPARE(int(heat.size()), kFrames * kFrames);
        for (int q = 0; q < kFrames; ++q)
            for (int k = 0; k < kFrames; ++k)
                QCOMPARE(heat[size_t(q * kFrames + k)], double(1270 + q * kFrames + k));
        // Bars: the query frame on screen (sample 2) against every sampled frame.
        QCOMPARE(rig.patch.barValues(), (std::vector<double>{1278, 1279, 1280, 1281}));
        // A dot per head and attended frame: 1000 * layer + 100 * head + 10 * patch + 4 * query + frame.
        const std::vector<std::pair<int, double>> dots = rig.patch.headDots();
        QCOMPARE(int(dots.size()), kHeads * kFrames);
        for (int k = 0; k < kFrames; ++k)
            for (int a = 0; a < kHeads; ++a)
                QCOMPARE(dots[size_t(k * kHeads + a)],
                         std::make_pair(k, double(1000 + 100 * a + 70 + 8 + k)));

        const FloatArray full = makeFull();
        rig.explorer.setFullSpatial(3, full);
        const int size = 1 + kPatches;
        const float* row = full.values.data() + (((1 * kFrames + 2) * kHeads + 2) * size + 1 + 7) * size + 1;
        QCOMPARE(rig.patch.spatialRow(), std::vector<float>(row, row + kPatches));
        QVERIFY(!rig.patch.statusText().contains(QStringLiteral("Computing")));
        // Moving to another sampled frame moves the query frame with it.
        rig.explorer.setPlayhead(11);
        QCOMPARE(rig.explorer.patch().sample, 0);
        QCOMPARE(rig.patch.barValues(), (std::vector<double>{1270, 1271, 1272, 1273}));
        // Outside the crop box nothing is picked.
        WindowResult narrow = makeWindow();
        narrow.cropBoxes = {QRect(kCell, 0, 2 * kCell, 2 * kCell)};
        narrow.windowIndex = 4;
        rig.explorer.setWindow(narrow);
        QVERIFY(!rig.explorer.selectPatchAt(QPointF(10, 10)));
        QVERIFY(rig.explorer.selectPatchAt(QPointF(kCell + 1, 2 * kCell - 1)));
        QCOMPARE(rig.explorer.patch().patch, 2 * kGrid + 0);
    }

    void overlayMarksTheNearestSampledFrame() {
        QCOMPARE(AttentionExplorer::nearestSample({10, 20, 30, 40}, 24), 1);
        QCOMPARE(AttentionExplorer::nearestSample({10, 20, 30, 40}, 25), 1);
        QCOMPARE(AttentionExplorer::nearestSample({10, 20, 30, 40}, 26), 2);
        QCOMPARE(AttentionExplorer::nearestSample({10, 20, 30, 40}, 0), 0);
        QCOMPARE(AttentionExplorer::nearestSample({10, 20, 30, 40}, 99), 3);
        QCOMPARE(AttentionExplorer::nearestSample({}, 5), -1);
        Rig rig;
        rig.video.setHudVisible(true);
        rig.explorer.setWindow(makeWindow());
        rig.explorer.setPlayhead(26);
        QCOMPARE(rig.explorer.map().sampledFrame, 30);
        QCOMPARE(rig.video.hudNote(), QStringLiteral("map of frame 30 (nearest sampled)"));
        // The last layer, heads fused by their mean, of sampled frame 2.
        const Result<std::vector<float>> expected =
            AttentionAnalysis::selectSpatial(makeWindow().spatial, kLayers - 1, {-1, HeadFusion::Mean}, 2);
        QVERIFY(expected.ok());
        QCOMPARE(brightestCell(rig.shot()), argmax(*expected));
        rig.explorer.setPlayhead(20);
        QCOMPARE(rig.video.hudNote(), QStringLiteral("map of frame 20"));
        rig.explorer.clearWindow();
        QVERIFY(rig.video.hudNote().isEmpty());
        QVERIFY(rig.video.overlay().isNull());
    }

    void rolloutWithOptionsIsComputedFromTheFullMaps() {
        WindowResult window = makeWindow();
        window.temporal = normalisedTemporal();
        Rig rig;
        rig.explorer.setPlayhead(20);
        rig.explorer.setWindow(window);
        QSignalSpy needed(&rig.explorer, &AttentionExplorer::fullSpatialNeeded);
        selectCombo(rig.panel.sourceCombo(), int(AttentionSource::Rollout));
        // Mean without discarding is the rollout the analysis stored.
        QCOMPARE(rig.explorer.map().values, std::vector<float>(window.rollout.values.begin() + kPatches,
                                                               window.rollout.values.begin() + 2 * kPatches));
        QCOMPARE(needed.count(), 0);
        QVERIFY(!rig.panel.layerCombo()->isEnabled());
        // The rollout is no single cell of the grid.
        QVERIFY(!rig.grid.isSelectionVisible());
        selectCombo(rig.panel.fusionCombo(), int(HeadFusion::Max));
        QCOMPARE(needed.count(), 1);
        QVERIFY(rig.explorer.map().pending);
        const FloatArray full = makeFull();
        rig.explorer.setFullSpatial(3, full);
        rig.explorer.waitForRollout();
        QVERIFY(!rig.explorer.map().pending);
        const Result<FloatArray> expected = AttentionAnalysis::rolloutFromSummaries(
            full, window.temporal, kGrid, kGrid, {HeadFusion::Max, 0.0});
        QVERIFY(expected.ok());
        QCOMPARE(rig.explorer.map().values, std::vector<float>(expected->values.begin() + kPatches,
                                                               expected->values.begin() + 2 * kPatches));
    }

    void keysStepLayersAndHeads() {
        AttentionExplorer explorer;
        explorer.setModelShape(kLayers, kHeads);
        explorer.stepLayer(-1);
        QCOMPARE(explorer.choices().layer, 0);
        explorer.stepLayer(-1);
        QCOMPARE(explorer.choices().layer, 1);
        explorer.stepHead(1);
        QCOMPARE(explorer.choices().head, 0);
        explorer.stepHead(-1);
        QCOMPARE(explorer.choices().head, -1);
        explorer.stepHead(-1);
        QCOMPARE(explorer.choices().head, kHeads - 1);
    }

    void choicesPersistInTheSettings() {
        QTemporaryDir dir;
        auto settings = AppSettings::fromIniFile(dir.filePath(QStringLiteral("s.ini")));
        {
            Rig rig(settings.get());
            selectCombo(rig.panel.colormapCombo(), int(Colormap::Jet));
            selectCombo(rig.panel.fusionCombo(), int(HeadFusion::Min));
            selectCombo(rig.panel.sourceCombo(), int(AttentionSource::Rollout));
            rig.explorer.setLayer(1);
            rig.panel.discardSlider()->setValue(4);
        }
        const OverlayChoices stored = settings->overlayChoices();
        QCOMPARE(stored.colormap, QStringLiteral("jet"));
        QCOMPARE(stored.fusion, QStringLiteral("min"));
        QCOMPARE(stored.layer, 1);
        QVERIFY(stored.rollout);
        QCOMPARE(stored.discardRatio, 0.2);
        Rig restored(settings.get());
        QCOMPARE(restored.explorer.choices().colormap, Colormap::Jet);
        QCOMPARE(restored.explorer.choices().fusion, HeadFusion::Min);
        QCOMPARE(restored.explorer.choices().source, AttentionSource::Rollout);
        QCOMPARE(restored.panel.colormapCombo()->currentData().toInt(), int(Colormap::Jet));
        QCOMPARE(restored.panel.discardSlider()->value(), 4);
    }
};

QTEST_MAIN(AttentionExplorerTest)
#include "tst_attentionexplorer.moc"
