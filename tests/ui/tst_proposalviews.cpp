#include "core/training/finetuner.h"
#include "ui/model/modelpanel.h"
#include "ui/model/proposalsettingsbox.h"
#include "ui/review/agreementdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

// The proposal settings of the Model dock and the agreement view.
class TestProposalViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void settingsEmitWhatTheUserChose() {
        ProposalSettingsBox box;
        QSignalSpy changed(&box, &ProposalSettingsBox::optionsChanged);
        box.switchPenaltySpin()->setValue(9.5);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.last().at(0).value<LocalizationOptions>().switchPenalty, 9.5);
        box.minSegmentSpin()->setValue(1.2);
        QCOMPARE(box.options().minSegmentSeconds, 1.2);
        // Setting options from the program is not a user change.
        LocalizationOptions options;
        options.actionnessThreshold = 0.3;
        box.setOptions(options);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(box.actionnessSpin()->value(), 0.3);
        // A model with a background class decides itself: the threshold is off.
        QVERIFY(box.actionnessSpin()->isEnabled());
        box.setBackgroundClass(QStringLiteral("background"));
        QVERIFY(!box.actionnessSpin()->isEnabled());
    }

    void agreementAgainstATruthFile() {
        QTemporaryDir dir;
        const QString truthPath = dir.filePath(QStringLiteral("truth.json"));
        QFile file(truthPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QJsonObject truth{{QStringLiteral("format"), QStringLiteral("saccade-synthetic-truth")},
                                {QStringLiteral("video"), QStringLiteral("clip.mp4")},
                                {QStringLiteral("fps"), 30},
                                {QStringLiteral("frame_count"), 50},
                                {QStringLiteral("labels"), QJsonArray{QStringLiteral("grow")}},
                                {QStringLiteral("segments"),
                                 QJsonArray{QJsonObject{{QStringLiteral("label"), QStringLiteral("grow")},
                                                        {QStringLiteral("start_frame"), 10},
                                                        {QStringLiteral("end_frame"), 30}}}}};
        file.write(QJsonDocument(truth).toJson());
        file.close();

        ProjectData project;
        QVERIFY(project.labels.add(QStringLiteral("grow")).ok());
        VideoEntry video;
        video.id = QStringLiteral("clip");
        video.path = dir.filePath(QStringLiteral("clip.mp4"));
        video.probe.frameCount = 50;
        Segment proposal;
        proposal.label = QStringLiteral("grow");
        proposal.startFrame = 15;
        proposal.endFrame = 30;
        proposal.state = SegmentState::Proposed;
        video.segments.push_back(proposal);
        project.videos.push_back(video);

        AgreementDialog dialog(project);
        QVERIFY(dialog.compareWith(truthPath));
        // 5 of 50 frames differ; the proposal matches at IoU 0.75, so F1@0.50 is 1.
        QCOMPARE(dialog.shown(QStringLiteral("Frame accuracy")), QStringLiteral("0.9000"));
        QVERIFY(dialog.shown(QStringLiteral("F1@0.50")).startsWith(QStringLiteral("1.0000")));
        QVERIFY(
            dialog.shown(QStringLiteral("Median boundary error")).startsWith(QStringLiteral("2.5 frames")));
        // Per label: kappa, F1@0.50, recall@0.50, frames.
        QCOMPARE(dialog.labelTable()->item(0, 0)->text(), QStringLiteral("grow"));
        QCOMPARE(dialog.labelTable()->item(0, 2)->text(), QStringLiteral("1.0000"));
        QCOMPARE(dialog.labelTable()->item(0, 3)->text(), QStringLiteral("1.0000"));
        QCOMPARE(dialog.labelTable()->item(0, 4)->text(), QStringLiteral("20"));
        // Without proposals the project has no segment here.
        dialog.proposalsCheck()->setChecked(false);
        QCOMPARE(dialog.shown(QStringLiteral("Frame accuracy")), QStringLiteral("0.6000"));
        QVERIFY(dialog.shown(QStringLiteral("F1@0.50")).startsWith(QStringLiteral("0.0000")));
        // A broken reference says so.
        QVERIFY(!dialog.compareWith(dir.filePath(QStringLiteral("missing.saccade"))));
    }
};

// The fine-tuning part of the Model dock.
class TestFinetuneViews : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modesAndPerClassRecallAreShown() {
        ModelPanel panel;
        QComboBox* mode = panel.finetuneModeBox();
        QCOMPARE(mode->count(), 3);
        mode->setCurrentIndex(0);
        QVERIFY(panel.finetuneChoice().headOnly);
        QVERIFY(!panel.finetuneChoice().onlyNewClasses);
        mode->setCurrentIndex(1);
        QVERIFY(panel.finetuneChoice().headOnly);
        QVERIFY(panel.finetuneChoice().onlyNewClasses);
        mode->setCurrentIndex(2);
        QVERIFY(!panel.finetuneChoice().headOnly);
        QVERIFY(!panel.finetuneChoice().onlyNewClasses);

        FinetuneSummary summary;
        summary.valAccuracyBefore = 0.5;
        summary.valAccuracyAfter = 0.9;
        summary.addedClasses = {QStringLiteral("move_diagonal")};
        summary.perClass = {{QStringLiteral("grow"), 4, 1.0, 1.0, false},
                            {QStringLiteral("move_diagonal"), 8, 0.0, 0.875, true}};
        panel.setFinetuneResult(summary);
        const QString text = panel.finetuneResultLabel()->text();
        // The new class comes first, with its recall before and after.
        QVERIFY2(text.indexOf(QStringLiteral("move_diagonal (new)")) < text.indexOf(QStringLiteral("grow")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("87.5%")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("0.0%")), qPrintable(text));
    }
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    TestProposalViews proposals;
    TestFinetuneViews finetune;
    return QTest::qExec(&proposals, argc, argv) | QTest::qExec(&finetune, argc, argv);
}
#include "tst_proposalviews.moc"
