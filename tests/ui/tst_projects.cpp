#include "core/annotation/projectstore.h"
#include "core/annotation/videolistmodel.h"
#include "core/export/mediaclipcutting.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/export/exportdialog.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace saccade;

class ProjectsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_video;

    // Clicks the button called `text` of the next message box once it is shown.
    void answerNextMessageBox(const QString& text) {
        QTimer::singleShot(0, this, [this, text] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) {
                answerNextMessageBox(text);
                return;
            }
            for (QAbstractButton* button : box->buttons()) {
                if (button->text().remove(QLatin1Char('&')) == text) {
                    button->click();
                    return;
                }
            }
        });
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_video = m_dir.filePath(QStringLiteral("walk.mp4"));
        const int code = QProcess::execute(
            QStringLiteral("ffmpeg"),
            {QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-f"), QStringLiteral("lavfi"),
             QStringLiteral("-i"), QStringLiteral("testsrc2=size=160x90:rate=25:duration=2"),
             QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), QStringLiteral("-y"), m_video});
        QCOMPARE(code, 0);
    }

    void saveAsAutosaveAndRecover() {
        const QString project = m_dir.filePath(QStringLiteral("study.saccade"));
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("s.ini")));
        {
            MainWindow window(*settings);
            window.show();
            QVERIFY(window.windowTitle().contains(QStringLiteral("Untitled")));
            QSignalSpy opened(&window, &MainWindow::videoOpened);
            window.openVideo(m_video);
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
            QVERIFY(window.saveProjectAs(project));
            QVERIFY(QFileInfo::exists(project));
            QVERIFY(window.projectStore());
            QVERIFY(window.windowTitle().startsWith(QStringLiteral("study")));
            QVERIFY(!window.isWindowModified());
            QCOMPARE(window.findChild<QTableView*>(QStringLiteral("VideoList"))->model()->rowCount(), 1);

            // An edit marks the window modified and is autosaved, not saved.
            QVERIFY(window.document()->addLabel(QStringLiteral("walk")).ok());
            Segment segment;
            segment.startFrame = 5;
            segment.endFrame = 20;
            segment.label = QStringLiteral("walk");
            QVERIFY(window.document()->addSegment(window.currentVideoId(), segment).ok());
            QVERIFY(window.isWindowModified());
            QVERIFY(window.projectStore()->autosaveNow().ok());
            QVERIFY(QFileInfo::exists(ProjectStore::autosavePath(project)));
            // Closing asks; "Discard" leaves the file as it was and keeps the sidecar for recovery.
            answerNextMessageBox(QStringLiteral("Discard"));
            QVERIFY(window.close());
        }
        MainWindow window(*settings);
        answerNextMessageBox(QStringLiteral("Recover"));
        QVERIFY(window.openProject(project));
        QCOMPARE(window.document()->videos().size(), size_t(1));
        QCOMPARE(window.document()->videos().front().segments.size(), size_t(1));
        // Recovered changes are not in the project file yet.
        QVERIFY(window.isWindowModified());
        QVERIFY(window.saveProject());
        QVERIFY(!window.isWindowModified());
        QVERIFY(!QFileInfo::exists(ProjectStore::autosavePath(project)));
    }

    void videoListSwitchesVideos() {
        const QString second = m_dir.filePath(QStringLiteral("run.mp4"));
        QVERIFY(QFile::copy(m_video, second));
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("v.ini")));
        MainWindow window(*settings);
        window.show();
        QSignalSpy opened(&window, &MainWindow::videoOpened);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        window.openVideo(second);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
        auto* table = window.findChild<QTableView*>(QStringLiteral("VideoList"));
        QCOMPARE(table->model()->rowCount(), 2);
        QCOMPARE(window.currentVideoId(), QStringLiteral("run"));
        const QModelIndex first = table->model()->index(0, 0);
        QCOMPARE(first.data(VideoListModel::VideoIdRole).toString(), QStringLiteral("walk"));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, 10000);
        QCOMPARE(window.currentVideoId(), QStringLiteral("walk"));
    }

    void droppedVideosJoinTheProject() {
        const QString second = m_dir.filePath(QStringLiteral("jump.mp4"));
        QVERIFY(QFile::copy(m_video, second));
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("w.ini")));
        MainWindow window(*settings);
        QSignalSpy opened(&window, &MainWindow::videoOpened);
        // What a drop of several files does.
        window.openVideos({m_video, m_dir.filePath(QStringLiteral("missing.mp4")), second});
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 10000);
        QCOMPARE(window.document()->videos().size(), size_t(2));
        QCOMPARE(window.currentVideoId(), QStringLiteral("jump"));
    }

    void newProjectAfterSaving() {
        const QString project = m_dir.filePath(QStringLiteral("second.saccade"));
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("t.ini")));
        MainWindow window(*settings);
        QVERIFY(window.saveProjectAs(project));
        QVERIFY(window.projectStore());
        QVERIFY(window.newProject());
        QVERIFY(!window.projectStore());
        QVERIFY(window.windowTitle().contains(QStringLiteral("Untitled")));
        // The lock is released: the project opens again.
        QVERIFY(window.openProject(project));
        QCOMPARE(window.projectStore()->path(), project);
    }

    void exportDialogOffersEveryFormat() {
        ExportDialog dialog(m_dir.filePath(QStringLiteral("out")));
        QCOMPARE(dialog.formatCombo()->count(), 6);
        QCOMPARE(dialog.options().clipMode, ClipMode::None);
        QVERIFY(!dialog.options().cutClip);
        QVERIFY(!dialog.splitRatios().has_value());
        // SlowFast lists need clips, so choosing it turns cutting on.
        dialog.formatCombo()->setCurrentIndex(dialog.formatCombo()->findText(QStringLiteral("slowfast")));
        QCOMPARE(dialog.options().format, ExportFormat::SlowFast);
        QCOMPARE(dialog.options().clipMode, ClipMode::Reencode);
        // The media root and URL are Label Studio's only.
        QVERIFY(!dialog.mediaRootEdit()->isEnabled());
        dialog.formatCombo()->setCurrentIndex(dialog.formatCombo()->findText(QStringLiteral("labelstudio")));
        QVERIFY(dialog.mediaRootEdit()->isEnabled());
        dialog.mediaRootEdit()->setText(QStringLiteral("/srv/videos"));
        dialog.mediaUrlEdit()->setText(QStringLiteral("https://media.example/v"));
        QCOMPARE(dialog.options().mediaRoot, QStringLiteral("/srv/videos"));
        QCOMPARE(dialog.options().mediaUrl, QStringLiteral("https://media.example/v"));
        dialog.formatCombo()->setCurrentIndex(dialog.formatCombo()->findText(QStringLiteral("slowfast")));
        QVERIFY(dialog.options().mediaRoot.isEmpty());
        QVERIFY(dialog.options().cutClip);
        dialog.proposalsCheck()->setChecked(true);
        dialog.splitCheck()->setChecked(true);
        QVERIFY(dialog.options().includeProposals);
        QVERIFY(dialog.splitRatios().has_value());
        QCOMPARE(dialog.splitRatios()->train, 0.8);
        QCOMPARE(dialog.options().outputDirectory, m_dir.filePath(QStringLiteral("out")));
    }

    void exportsInTheBackground() {
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("e.ini")));
        MainWindow window(*settings);
        QSignalSpy opened(&window, &MainWindow::videoOpened);
        window.openVideo(m_video);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QVERIFY(window.document()->addLabel(QStringLiteral("walk")).ok());
        Segment segment;
        segment.startFrame = 0;
        segment.endFrame = 25;
        segment.label = QStringLiteral("walk");
        segment.state = SegmentState::Accepted;
        QVERIFY(window.document()->addSegment(window.currentVideoId(), segment).ok());

        QSignalSpy done(&window, &MainWindow::exportDone);
        ExportOptions options;
        options.format = ExportFormat::Kinetics;
        options.outputDirectory = m_dir.filePath(QStringLiteral("kinetics"));
        options.clipMode = ClipMode::Reencode;
        options.cutClip = cutClipWithMediaEngine;
        // Three splits cannot each get one of a single video: refused before anything is written.
        QVERIFY(!window.startExport(options, SplitRatios{}, 7));
        QCOMPARE(window.messageBar()->kind(), MessageBar::Kind::Error);
        QVERIFY2(window.messageBar()->text().contains(QStringLiteral("only 1 video")),
                 qPrintable(window.messageBar()->text()));
        QVERIFY(!QFileInfo::exists(options.outputDirectory));
        QVERIFY(window.startExport(options, SplitRatios{1.0, 0.0, 0.0}, 7));
        QVERIFY(window.exportProgressArea()->isActive());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 30000);
        QCOMPARE(done.first().at(0).toBool(), true);
        QVERIFY(!window.exportProgressArea()->isActive());
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("Exported 1 segment")));
        const QStringList files =
            QDir(options.outputDirectory).entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(files.size() >= 2, qPrintable(files.join(QLatin1Char(','))));

        // AVA has no row for a segment without a whole-second keyframe: the message bar names it.
        segment.startFrame = 31; // 1.24-1.4 s at 25 fps
        segment.endFrame = 35;
        QVERIFY(window.document()->addSegment(window.currentVideoId(), segment).ok());
        options.format = ExportFormat::Ava;
        options.clipMode = ClipMode::None;
        options.outputDirectory = m_dir.filePath(QStringLiteral("ava"));
        QVERIFY(window.startExport(options));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 30000);
        QCOMPARE(window.messageBar()->kind(), MessageBar::Kind::Warning);
        QVERIFY2(window.messageBar()->text().contains(QStringLiteral("segment 'walk' at frames 31-35")),
                 qPrintable(window.messageBar()->text()));

        // A folder that cannot be created fails with the reason in the message bar.
        options.outputDirectory = m_video + QStringLiteral("/inside-a-file");
        QVERIFY(window.startExport(options));
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 3, 30000);
        QCOMPARE(done.last().at(0).toBool(), false);
        QCOMPARE(window.messageBar()->kind(), MessageBar::Kind::Error);
    }

    void unreadableProjectIsReported() {
        const QString project = m_dir.filePath(QStringLiteral("broken.saccade"));
        QFile file(project);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not json");
        file.close();
        auto settings = AppSettings::fromIniFile(m_dir.filePath(QStringLiteral("u.ini")));
        MainWindow window(*settings);
        QVERIFY(!window.openProject(project));
        QVERIFY(window.messageBar()->text().contains(QStringLiteral("broken.saccade")));
        QVERIFY(!window.projectStore());
    }
};

QTEST_MAIN(ProjectsTest)
#include "tst_projects.moc"
