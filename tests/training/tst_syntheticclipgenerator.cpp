#include "core/training/random.h"
#include "core/training/syntheticactor.h"
#include "core/training/syntheticclipgenerator.h"

#include <QtTest>

#include <set>

using namespace saccade;

namespace {

SyntheticClipOptions actorAlone() {
    SyntheticClipOptions options;
    options.background = false;
    return options;
}

// Bounding rectangle of the pixels that are not fully transparent.
QRect visiblePixels(const QImage& image) {
    int left = image.width(), top = image.height(), right = -1, bottom = -1;
    for (int y = 0; y < image.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(line[x]) == 0)
                continue;
            left = std::min(left, x);
            right = std::max(right, x);
            top = std::min(top, y);
            bottom = std::max(bottom, y);
        }
    }
    return right < 0 ? QRect() : QRect(QPoint(left, top), QPoint(right, bottom));
}

} // namespace

class TestSyntheticClipGenerator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void randomIsSplitMix64() {
        // Published first outputs of SplitMix64 seeded with 0 and 1234567.
        Random zero(0);
        QCOMPARE(zero.nextU64(), 0xe220a8397b1dcdafULL);
        Random other(1234567);
        QCOMPARE(other.nextU64(), 6457827717110365317ULL);
        QCOMPARE(other.nextU64(), 3203168211198807973ULL);
        Random a(7);
        for (int i = 0; i < 1000; ++i) {
            const double u = a.uniform();
            QVERIFY(u >= 0.0 && u < 1.0);
            const int k = a.integer(3, 6);
            QVERIFY(k >= 3 && k <= 6);
        }
    }

    void sameSeedGivesIdenticalPixels() {
        const SyntheticClipGenerator generator;
        const SyntheticClip a = generator.generate(42, SyntheticAction::RotateClockwise);
        const SyntheticClip b = generator.generate(42, SyntheticAction::RotateClockwise);
        QCOMPARE(int(a.frames.size()), generator.options().frames);
        for (size_t i = 0; i < a.frames.size(); ++i) {
            QCOMPARE(a.frames[i].size(), QSize(64, 64));
            QCOMPARE(a.frames[i], b.frames[i]);
            QCOMPARE(a.actorBoxes[i], b.actorBoxes[i]);
        }
        const SyntheticClip c = generator.generate(43, SyntheticAction::RotateClockwise);
        int differing = 0;
        for (size_t i = 0; i < a.frames.size(); ++i)
            differing += a.frames[i] != c.frames[i] ? 1 : 0;
        QCOMPARE(differing, int(a.frames.size()));
    }

    void optionsSetTheClipShape() {
        SyntheticClipOptions options;
        options.frames = 5;
        options.width = 96;
        options.height = 48;
        const SyntheticClip clip = SyntheticClipGenerator(options).generate(3);
        QCOMPARE(int(clip.frames.size()), 5);
        QCOMPARE(int(clip.actorBoxes.size()), 5);
        for (const QImage& frame : clip.frames)
            QCOMPARE(frame.size(), QSize(96, 48));
        // Actions stay inside the centred square a centre crop keeps.
        for (const QRectF& box : clip.actorBoxes)
            if (!box.isEmpty())
                QVERIFY(QRectF(24 - 2, -2, 48 + 4, 48 + 4).contains(box));
    }

    void seedsCoverEveryClass() {
        std::vector<int> counts(kSyntheticActionCount, 0);
        for (uint64_t seed = 0; seed < 1000; ++seed)
            ++counts[syntheticActionIndex(SyntheticClipGenerator::actionForSeed(seed))];
        for (int count : counts)
            QVERIFY2(count > 60 && count < 140, qPrintable(QString::number(count)));
        QCOMPARE(SyntheticClipGenerator().generate(11).action, SyntheticClipGenerator::actionForSeed(11));
    }

    void classNamesRoundTrip() {
        QCOMPARE(syntheticActionNames().size(), kSyntheticActionCount);
        const QStringList names = syntheticActionNames();
        QCOMPARE(int(std::set<QString>(names.begin(), names.end()).size()), kSyntheticActionCount);
        for (int i = 0; i < kSyntheticActionCount; ++i) {
            const SyntheticAction action = syntheticActionFromIndex(i);
            QCOMPARE(parseSyntheticAction(syntheticActionName(action)),
                     std::optional<SyntheticAction>(action));
            QCOMPARE(timeReversed(timeReversed(action)), action);
            QVERIFY(timeReversed(action) != action);
        }
        QCOMPARE(timeReversed(SyntheticAction::MoveLeft), SyntheticAction::MoveRight);
        QCOMPARE(timeReversed(SyntheticAction::Grow), SyntheticAction::Shrink);
        QVERIFY(!parseSyntheticAction(QStringLiteral("dance")).has_value());
    }

    void boxContainsTheActor_data() {
        QTest::addColumn<int>("action");
        for (int i = 0; i < kSyntheticActionCount; ++i)
            QTest::newRow(qPrintable(syntheticActionNames().at(i))) << i;
    }

    void boxContainsTheActor() {
        QFETCH(int, action);
        const SyntheticClipGenerator generator(actorAlone());
        for (uint64_t seed = 0; seed < 12; ++seed) {
            const SyntheticClip clip = generator.generate(seed, syntheticActionFromIndex(action));
            int visibleFrames = 0;
            for (size_t i = 0; i < clip.frames.size(); ++i) {
                const QRect pixels = visiblePixels(clip.frames[i]);
                const QRectF box = clip.actorBoxes[i];
                if (pixels.isNull())
                    continue;
                ++visibleFrames;
                QVERIFY2(!box.isEmpty(), qPrintable(QStringLiteral("seed %1 frame %2").arg(seed).arg(i)));
                // Every touched pixel lies inside the box ...
                const QRectF pixelArea(pixels.left(), pixels.top(), pixels.width(), pixels.height());
                QVERIFY2(
                    box.contains(pixelArea),
                    qPrintable(QStringLiteral("seed %1 frame %2: pixels %3,%4 %5x%6 outside box %7,%8 %9x%10")
                                   .arg(seed)
                                   .arg(i)
                                   .arg(pixels.x())
                                   .arg(pixels.y())
                                   .arg(pixels.width())
                                   .arg(pixels.height())
                                   .arg(box.x())
                                   .arg(box.y())
                                   .arg(box.width())
                                   .arg(box.height())));
                // ... and the box is tight around them.
                QVERIFY(pixelArea.adjusted(-4, -4, 4, 4).contains(box));
            }
            QVERIFY(visibleFrames > 0);
        }
    }

    void reversedPairsAreExactReverses_data() {
        QTest::addColumn<int>("forward");
        for (int i = 0; i < kSyntheticActionCount; i += 2)
            QTest::newRow(qPrintable(syntheticActionNames().at(i))) << i;
    }

    void reversedPairsAreExactReverses() {
        QFETCH(int, forward);
        const SyntheticAction action = syntheticActionFromIndex(forward);
        const SyntheticClipGenerator generator(actorAlone());
        for (uint64_t seed = 100; seed < 110; ++seed) {
            const SyntheticClip a = generator.generate(seed, action);
            const SyntheticClip b = generator.generate(seed, timeReversed(action));
            const size_t n = a.frames.size();
            for (size_t i = 0; i < n; ++i) {
                QCOMPARE(b.frames[i], a.frames[n - 1 - i]);
                QCOMPARE(b.actorBoxes[i], a.actorBoxes[n - 1 - i]);
            }
            // No single frame tells the pair apart: both clips hold the same set of frames.
            QVERIFY(a.frames.front() != a.frames.back());
        }
    }

    void trajectoriesGoTheNamedWay_data() {
        QTest::addColumn<int>("action");
        for (int i = 0; i < kSyntheticActionCount; ++i)
            QTest::newRow(qPrintable(syntheticActionNames().at(i))) << i;
    }

    void trajectoriesGoTheNamedWay() {
        QFETCH(int, action);
        const SyntheticAction kind = syntheticActionFromIndex(action);
        const SyntheticClipGenerator generator(actorAlone());
        for (uint64_t seed = 0; seed < 20; ++seed) {
            const SyntheticClip clip = generator.generate(seed, kind);
            const QRectF first = clip.actorBoxes.front();
            const QRectF last = clip.actorBoxes.back();
            const double minShift = 64 * 0.3 * 0.7 * 0.9; // shortest move over the shortest action span
            switch (kind) {
            case SyntheticAction::MoveLeft:
                QVERIFY(first.center().x() - last.center().x() > minShift);
                QVERIFY(qAbs(first.center().y() - last.center().y()) < 3);
                break;
            case SyntheticAction::MoveRight:
                QVERIFY(last.center().x() - first.center().x() > minShift);
                QVERIFY(qAbs(first.center().y() - last.center().y()) < 3);
                break;
            case SyntheticAction::MoveUp:
                QVERIFY(first.center().y() - last.center().y() > minShift);
                QVERIFY(qAbs(first.center().x() - last.center().x()) < 3);
                break;
            case SyntheticAction::MoveDown:
                QVERIFY(last.center().y() - first.center().y() > minShift);
                QVERIFY(qAbs(first.center().x() - last.center().x()) < 3);
                break;
            case SyntheticAction::Grow:
                QVERIFY(last.width() * last.height() > 2.0 * first.width() * first.height());
                break;
            case SyntheticAction::Shrink:
                QVERIFY(first.width() * first.height() > 2.0 * last.width() * last.height());
                break;
            case SyntheticAction::Appear:
                QVERIFY(first.isEmpty());
                QVERIFY(!last.isEmpty());
                break;
            case SyntheticAction::Disappear:
                QVERIFY(!first.isEmpty());
                QVERIFY(last.isEmpty());
                break;
            case SyntheticAction::RotateClockwise:
            case SyntheticAction::RotateCounterClockwise:
                // The actor turns in place: its box moves by less than half its size (an irregular
                // polygon's box centre is not its pivot), while a move covers a third of the frame.
                QVERIFY(QLineF(first.center(), last.center()).length() <
                        0.5 * std::max(first.width(), first.height()));
                QVERIFY(clip.frames.front() != clip.frames.back());
                break;
            }
        }
    }

    void rotationSenseMatchesTheName() {
        // Screen y points down, so a growing angle is a clockwise turn.
        for (uint64_t seed = 0; seed < 20; ++seed) {
            Random a = Random::derived(seed, 1);
            Random b = Random::derived(seed, 1);
            const QRectF stage(0, 0, 64, 64);
            const SyntheticActor clockwise =
                SyntheticActor::random(a, SyntheticAction::RotateClockwise, stage);
            const SyntheticActor counter =
                SyntheticActor::random(b, SyntheticAction::RotateCounterClockwise, stage);
            const double turn = clockwise.pose(1.0).angleDegrees - clockwise.pose(0.0).angleDegrees;
            QVERIFY(turn >= 90.0 && turn < 180.0);
            QCOMPARE(counter.pose(1.0).angleDegrees - counter.pose(0.0).angleDegrees, -turn);
            // A point on the shape at angle 0 (to the right of the centre) moves down when turning clockwise.
            const QPolygonF start = clockwise.outline(clockwise.pose(0.0));
            const QPolygonF later = clockwise.outline(clockwise.pose(0.2));
            const QPointF centre = clockwise.pose(0.0).centre;
            const QPointF r0 = start.first() - centre;
            const QPointF r1 = later.first() - centre;
            QVERIFY(r0.x() * r1.y() - r0.y() * r1.x() > 0); // positive cross product: clockwise with y down
        }
    }

    void headingsTurnWithTheActorAndOnlyThen_data() { trajectoriesGoTheNamedWay_data(); }

    void headingsTurnWithTheActorAndOnlyThen() {
        QFETCH(int, action);
        const SyntheticAction kind = syntheticActionFromIndex(action);
        const SyntheticClipGenerator generator(actorAlone());
        for (uint64_t seed = 0; seed < 10; ++seed) {
            const SyntheticClip clip = generator.generate(seed, kind);
            QCOMPARE(clip.actorHeadings.size(), clip.frames.size());
            double turned = 0.0; // signed, radians; positive is clockwise with y down
            QPointF previous;
            for (size_t i = 0; i < clip.frames.size(); ++i) {
                const QPointF heading = clip.actorHeadings[i];
                if (clip.actorBoxes[i].isEmpty()) {
                    QCOMPARE(heading, QPointF());
                    continue;
                }
                QVERIFY(qAbs(std::hypot(heading.x(), heading.y()) - 1.0) < 1e-9);
                if (!previous.isNull())
                    turned += std::atan2(previous.x() * heading.y() - previous.y() * heading.x(),
                                         previous.x() * heading.x() + previous.y() * heading.y());
                previous = heading;
            }
            if (kind == SyntheticAction::RotateClockwise)
                QVERIFY(turned > qDegreesToRadians(100.0) * 0.7);
            else if (kind == SyntheticAction::RotateCounterClockwise)
                QVERIFY(turned < -qDegreesToRadians(100.0) * 0.7);
            else
                QVERIFY(qAbs(turned) < 1e-9);
        }
        // The heading turns by exactly the pose's angle.
        Random random(3);
        const SyntheticActor actor =
            SyntheticActor::random(random, SyntheticAction::RotateClockwise, QRectF(0, 0, 64, 64));
        const QPointF from = actor.heading(actor.pose(0.0));
        const QPointF to = actor.heading(actor.pose(1.0));
        const double angle = qRadiansToDegrees(
            std::atan2(from.x() * to.y() - from.y() * to.x(), QPointF::dotProduct(from, to)));
        QVERIFY(qAbs(angle - (actor.pose(1.0).angleDegrees - actor.pose(0.0).angleDegrees)) < 1e-6);
    }

    void backgroundHidesNothingButIsNotBlank() {
        const SyntheticClip clip = SyntheticClipGenerator().generate(5, SyntheticAction::MoveLeft);
        for (const QImage& frame : clip.frames) {
            QCOMPARE(frame.format(), QImage::Format_RGB32);
            // A textured background: many distinct colours.
            std::set<QRgb> colours;
            for (int y = 0; y < frame.height(); y += 4)
                for (int x = 0; x < frame.width(); x += 4)
                    colours.insert(frame.pixel(x, y));
            QVERIFY(colours.size() > 20);
        }
    }
};

QTEST_GUILESS_MAIN(TestSyntheticClipGenerator)
#include "tst_syntheticclipgenerator.moc"
