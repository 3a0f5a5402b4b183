#include "core/training/demovideocomposer.h"
#include "core/training/synthetictimelinewindow.h"

#include <QtTest>

using namespace saccade;

// Windows cut from synthetic timelines: labels by overlap, frames and boxes as the timeline has them.
class TestSyntheticTimelineWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelByOverlap() {
        const std::vector<SyntheticSegment> segments = {{SyntheticAction::Grow, 100, 160},
                                                        {SyntheticAction::MoveUp, 180, 260}};
        // Window [70, 134): grow covers 34 of 64 frames -> grow.
        WindowLabel label = SyntheticTimelineWindow::label(segments, 70, 64, 0.5);
        QVERIFY(!label.background);
        QCOMPARE(label.action, SyntheticAction::Grow);
        QCOMPARE(label.share, 34.0 / 64.0);
        // Window [60, 124): 24 of 64 -> background, though grow is the action it partly shows.
        label = SyntheticTimelineWindow::label(segments, 60, 64, 0.5);
        QVERIFY(label.background);
        QCOMPARE(label.action, SyntheticAction::Grow);
        // Window [140, 204): grow 20, move_up 24 -> background, the larger share named.
        label = SyntheticTimelineWindow::label(segments, 140, 64, 0.5);
        QVERIFY(label.background);
        QCOMPARE(label.action, SyntheticAction::MoveUp);
        QCOMPARE(label.share, 24.0 / 64.0);
        // Nothing at all.
        label = SyntheticTimelineWindow::label(segments, 0, 64, 0.5);
        QVERIFY(label.background);
        QCOMPARE(label.share, 0.0);
        // Exactly half counts as the action.
        QVERIFY(!SyntheticTimelineWindow::label(segments, 68, 64, 0.5).background);
    }

    void windowsMatchTheirTimeline() {
        TimelineWindowOptions options;
        options.width = options.height = 48;
        const SyntheticTimelineWindow generator(options);
        QCOMPARE(generator.spanFrames(), qint64(64));
        int backgrounds = 0;
        int actions = 0;
        for (uint64_t seed = 1; seed <= 40; ++seed) {
            const SyntheticClip clip = generator.generate(seed);
            QCOMPARE(int(clip.frames.size()), 8);
            QCOMPARE(int(clip.actorBoxes.size()), 8);
            QCOMPARE(clip.frames.front().size(), QSize(48, 48));
            QCOMPARE(clip.classIndex(),
                     clip.background ? kSyntheticBackgroundIndex : syntheticActionIndex(clip.action));
            QVERIFY(clip.background == (clip.actionShare < 0.5));
            // The actor is visible in some frame of every window of a motion (an appearing actor may
            // still be invisible over the part of its segment a window covers).
            const bool fades =
                clip.action == SyntheticAction::Appear || clip.action == SyntheticAction::Disappear;
            if (!clip.background && !fades) {
                ++actions;
                const bool visible = std::any_of(clip.actorBoxes.begin(), clip.actorBoxes.end(),
                                                 [](const QRectF& box) { return !box.isEmpty(); });
                QVERIFY2(visible, qPrintable(QStringLiteral("seed %1").arg(seed)));
            } else if (clip.background) {
                ++backgrounds;
            }
            // Headings exist exactly where the actor is visible.
            for (size_t t = 0; t < clip.actorBoxes.size(); ++t)
                QCOMPARE(clip.actorBoxes[t].isEmpty(), clip.actorHeadings[t].isNull());
        }
        // Both kinds occur.
        QVERIFY(backgrounds >= 5);
        QVERIFY(actions >= 5);
        // Deterministic.
        QCOMPARE(generator.generate(7).frames[3], generator.generate(7).frames[3]);
    }

    void classNames() {
        QCOMPARE(syntheticClassNames(false).size(), kSyntheticActionCount);
        const QStringList withBackground = syntheticClassNames(true);
        QCOMPARE(withBackground.size(), kSyntheticActionCount + 1);
        QCOMPARE(withBackground.at(kSyntheticBackgroundIndex), QStringLiteral("background"));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticTimelineWindow)
#include "tst_synthetictimelinewindow.moc"
