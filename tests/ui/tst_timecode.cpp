#include "ui/transport/timecode.h"

#include <QTest>

using saccade::FrameRate;
using saccade::Timecode;

class TimecodeTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatFrame_data() {
        QTest::addColumn<qint64>("numerator");
        QTest::addColumn<qint64>("denominator");
        QTest::addColumn<qint64>("frame");
        QTest::addColumn<QString>("text");
        QTest::newRow("25 fps start")
            << qint64(25) << qint64(1) << qint64(0) << QStringLiteral("00:00:00.000");
        QTest::newRow("25 fps 1 s") << qint64(25) << qint64(1) << qint64(25)
                                    << QStringLiteral("00:00:01.000");
        QTest::newRow("25 fps frame 1")
            << qint64(25) << qint64(1) << qint64(1) << QStringLiteral("00:00:00.040");
        // 29.97: frame 1 starts at 33.367 ms, so its first whole millisecond is 34.
        QTest::newRow("29.97 frame 1")
            << qint64(30000) << qint64(1001) << qint64(1) << QStringLiteral("00:00:00.034");
        QTest::newRow("29.97 frame 30")
            << qint64(30000) << qint64(1001) << qint64(30) << QStringLiteral("00:00:01.001");
        QTest::newRow("29.97 one hour")
            << qint64(30000) << qint64(1001) << qint64(107892) << QStringLiteral("00:59:59.997");
        QTest::newRow("23.976 frame 24")
            << qint64(24000) << qint64(1001) << qint64(24) << QStringLiteral("00:00:01.001");
        QTest::newRow("60 fps 1 min")
            << qint64(60) << qint64(1) << qint64(3600) << QStringLiteral("00:01:00.000");
    }
    void formatFrame() {
        QFETCH(qint64, numerator);
        QFETCH(qint64, denominator);
        QFETCH(qint64, frame);
        QFETCH(QString, text);
        QCOMPARE(Timecode::formatFrame(frame, FrameRate{numerator, denominator}), text);
    }

    void roundTripIsFrameExact_data() {
        QTest::addColumn<qint64>("numerator");
        QTest::addColumn<qint64>("denominator");
        QTest::newRow("23.976") << qint64(24000) << qint64(1001);
        QTest::newRow("25") << qint64(25) << qint64(1);
        QTest::newRow("29.97") << qint64(30000) << qint64(1001);
        QTest::newRow("59.94") << qint64(60000) << qint64(1001);
        QTest::newRow("120") << qint64(120) << qint64(1);
    }
    void roundTripIsFrameExact() {
        QFETCH(qint64, numerator);
        QFETCH(qint64, denominator);
        const FrameRate rate{numerator, denominator};
        // Every frame of the first ten minutes and a stretch ten hours in.
        for (qint64 frame = 0; frame < 18000; ++frame) {
            const auto parsed = Timecode::parseMs(Timecode::formatFrame(frame, rate));
            QVERIFY(parsed.has_value());
            QCOMPARE(Timecode::msToFrame(*parsed, rate), frame);
        }
        const qint64 tenHours = qint64(10 * 3600 * rate.framesPerSecond());
        for (qint64 frame = tenHours; frame < tenHours + 1000; ++frame)
            QCOMPARE(Timecode::msToFrame(*Timecode::parseMs(Timecode::formatFrame(frame, rate)), rate),
                     frame);
    }

    void typedTimeGivesFrameOnScreen_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("frame");
        // At 29.97 fps frame 29 is on screen from 967.6 ms to 1000.99 ms; frame 30 starts at 1001 ms.
        QTest::newRow("1 s") << QStringLiteral("00:00:01.000") << qint64(29);
        QTest::newRow("1.001 s") << QStringLiteral("00:00:01.001") << qint64(30);
        QTest::newRow("seconds only") << QStringLiteral("2") << qint64(59);
        QTest::newRow("minutes") << QStringLiteral("1:00.5") << qint64(1813);
        QTest::newRow("comma fraction") << QStringLiteral("00:00:00,034") << qint64(1);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
    }
    void typedTimeGivesFrameOnScreen() {
        QFETCH(QString, text);
        QFETCH(qint64, frame);
        const auto ms = Timecode::parseMs(text);
        QVERIFY(ms.has_value());
        QCOMPARE(Timecode::msToFrame(*ms, FrameRate{30000, 1001}), frame);
    }

    void parseRejectsMalformedText_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("letters") << QStringLiteral("abc");
        QTest::newRow("minutes 60") << QStringLiteral("01:60:00.000");
        QTest::newRow("seconds 60") << QStringLiteral("00:00:60.000");
        QTest::newRow("negative") << QStringLiteral("-00:00:01.000");
        QTest::newRow("too many fields") << QStringLiteral("1:2:3:4");
        QTest::newRow("trailing junk") << QStringLiteral("00:00:01.000x");
    }
    void parseRejectsMalformedText() {
        QFETCH(QString, text);
        QVERIFY(!Timecode::parseMs(text).has_value());
    }

    void parsesFractionDigits() {
        QCOMPARE(*Timecode::parseMs(QStringLiteral("00:00:01.5")), qint64(1500));
        QCOMPARE(*Timecode::parseMs(QStringLiteral("00:00:01.25")), qint64(1250));
        QCOMPARE(*Timecode::parseMs(QStringLiteral("00:00:01.12345")), qint64(1123));
        QCOMPARE(*Timecode::parseMs(QStringLiteral("100:00:00.000")), qint64(360000000));
    }

    void frameRateFromMeasuredFps_data() {
        QTest::addColumn<double>("fps");
        QTest::addColumn<qint64>("numerator");
        QTest::addColumn<qint64>("denominator");
        QTest::newRow("29.97") << 29.97002997 << qint64(30000) << qint64(1001);
        QTest::newRow("23.976") << 23.976 << qint64(24000) << qint64(1001);
        QTest::newRow("59.94") << 59.94005994 << qint64(60000) << qint64(1001);
        QTest::newRow("25") << 25.0 << qint64(25) << qint64(1);
        QTest::newRow("12.5") << 12.5 << qint64(12500) << qint64(1000);
    }
    void frameRateFromMeasuredFps() {
        QFETCH(double, fps);
        QFETCH(qint64, numerator);
        QFETCH(qint64, denominator);
        const FrameRate rate = FrameRate::fromFramesPerSecond(fps);
        QCOMPARE(rate.numerator, numerator);
        QCOMPARE(rate.denominator, denominator);
    }

    void invalidRateIsHarmless() {
        QCOMPARE(Timecode::frameToMs(100, FrameRate{0, 1}), qint64(0));
        QCOMPARE(Timecode::msToFrame(1000, FrameRate{}), qint64(0));
        QVERIFY(!FrameRate::fromFramesPerSecond(0.0).isValid());
    }
};

QTEST_MAIN(TimecodeTest)
#include "tst_timecode.moc"
