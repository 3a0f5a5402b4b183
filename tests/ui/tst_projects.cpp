#include "core/annotation/projectstore.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
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
