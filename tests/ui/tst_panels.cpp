#include "ui/labels/labelspanel.h"
#include "ui/labels/topkview.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/timeline/probabilityribbon.h"

#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QToolButton>
#include <QTest>

using saccade::ClassScore;
using saccade::LabelEntry;
using saccade::LabelsPanel;
using saccade::MessageBar;
using saccade::ProbabilityRibbon;
using saccade::ProgressArea;
using saccade::TopKView;
using saccade::WindowProbabilities;

class PanelsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelSearchFiltersCaseInsensitively() {
        LabelsPanel panel;
        panel.setLabels({{QStringLiteral("walking"), Qt::red, 1},
                         {QStringLiteral("running"), Qt::green, 2},
                         {QStringLiteral("Walking the dog"), Qt::blue, -1}});
        QCOMPARE(panel.visibleLabels().size(), 3);
        QTest::keyClicks(panel.searchField(), QStringLiteral("WALK"));
        QCOMPARE(panel.visibleLabels(),
                 (QStringList{QStringLiteral("walking"), QStringLiteral("Walking the dog")}));
        QSignalSpy activated(&panel, &LabelsPanel::labelActivated);
        QTest::keyClick(panel.searchField(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.first().first().toString(), QStringLiteral("walking"));
        panel.searchField()->clear();
        QCOMPARE(panel.visibleLabels().size(), 3);
    }

    void topKIsSortedMostProbableFirst() {
        TopKView view;
        view.setScores(
            {{QStringLiteral("b"), 0.2, {}}, {QStringLiteral("a"), 0.7, {}}, {QStringLiteral("c"), 0.1, {}}});
        QCOMPARE(view.scores().first().name, QStringLiteral("a"));
        QCOMPARE(view.scores().last().name, QStringLiteral("c"));
        QVERIFY(!view.grab().isNull());
    }

    void ribbonStacksTheMostLikelyClasses() {
        ProbabilityRibbon ribbon;
        ribbon.resize(600, 40);
        ribbon.setClasses({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}, {});
        ribbon.setWindows(
            {{0, 16, {0.9f, 0.05f, 0.05f}}, {8, 24, {0.1f, 0.01f, 0.89f}}, {16, 32, {0.2f, 0.0f, 0.8f}}});
        // Class b never rises above 5%, a and c peak highest: shown in order of their peaks.
        QCOMPARE(ribbon.shownClasses(), (QVector<int>{0, 2, 1}));
        ribbon.setWindows({{0, 16, {0.5f, 0.01f, 0.49f}}});
        QCOMPARE(ribbon.shownClasses(), (QVector<int>{0, 2}));
        ribbon.clear();
        QVERIFY(ribbon.shownClasses().isEmpty());
    }

    void messageBarShowsAndDismisses() {
        QWidget parent;
        MessageBar bar(&parent);
        parent.show();
        QVERIFY(bar.isHidden());
        QSignalSpy action(&bar, &MessageBar::actionTriggered);
        QSignalSpy dismissed(&bar, &MessageBar::dismissed);
        bar.showMessage(MessageBar::Kind::Error, QStringLiteral("clip.mp4 has no video stream"),
                        QStringLiteral("Open Another"));
        QVERIFY(bar.isVisible());
        QCOMPARE(bar.kind(), MessageBar::Kind::Error);
        QCOMPARE(bar.text(), QStringLiteral("clip.mp4 has no video stream"));
        bar.dismiss();
        QVERIFY(bar.isHidden());
        QCOMPARE(dismissed.count(), 1);
        QCOMPARE(action.count(), 0);
    }

    void timeLeftEstimate_data() {
        QTest::addColumn<qint64>("elapsedMs");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<QString>("text");
        QTest::newRow("too early") << qint64(500) << 0.5 << QString();
        QTest::newRow("too little done") << qint64(10000) << 0.01 << QString();
        QTest::newRow("seconds") << qint64(10000) << 0.5 << QStringLiteral("about 10 s left");
        QTest::newRow("minutes") << qint64(60000) << 0.25 << QStringLiteral("about 3 min left");
        QTest::newRow("nearly done") << qint64(60000) << 0.99 << QStringLiteral("a few seconds left");
        QTest::newRow("done") << qint64(60000) << 1.0 << QString();
    }
    void timeLeftEstimate() {
        QFETCH(qint64, elapsedMs);
        QFETCH(double, fraction);
        QFETCH(QString, text);
        QCOMPARE(ProgressArea::estimateText(elapsedMs, fraction), text);
    }

    void progressCancelEmits() {
        ProgressArea area;
        QSignalSpy cancel(&area, &ProgressArea::cancelRequested);
        area.start(QStringLiteral("Analysing"));
        QVERIFY(area.isActive());
        const QList<QToolButton*> buttons = area.findChildren<QToolButton*>();
        QCOMPARE(buttons.size(), 1);
        buttons.first()->click();
        QCOMPARE(cancel.count(), 1);
        area.finish();
        QVERIFY(!area.isActive());
    }
};

QTEST_MAIN(PanelsTest)
#include "tst_panels.moc"
