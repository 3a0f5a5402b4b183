#include "export/exportfixtures.h"

#include "core/annotation/projectdocument.h"
#include "core/export/activitynetimporter.h"
#include "core/export/annotationimport.h"
#include "core/export/csvreader.h"
#include "core/export/datasetexport.h"
#include "core/export/exportjob.h"
#include "core/export/kineticsimporter.h"
#include "core/export/labelstudioimporter.h"
#include "core/export/stagedoutput.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;
using namespace saccade::testing;

namespace {

// Every file under `dir` with its content: a failed export must leave this unchanged.
QMap<QString, QByteArray> snapshot(const QString& dir) {
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(dir).relativeFilePath(path), file.readAll());
    }
    return files;
}

ExportOptions optionsFor(ExportFormat format, const QString& dir) {
    ExportOptions options;
    options.format = format;
    options.outputDirectory = dir;
    return options;
}

// A project big enough that its export reports progress many times.
ProjectData manyVideos(int count) {
    ProjectData data = sampleProject();
    const VideoEntry model = data.videos.front();
    data.videos.clear();
    for (int i = 0; i < count; ++i) {
        VideoEntry video = model;
        video.id = QStringLiteral("v%1").arg(i);
        data.videos.push_back(video);
    }
    return data;
}

} // namespace

class TestExportFailures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void diskFullLeavesEarlierExportUnharmed_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<qint64>("capacity");
        QTest::newRow("kinetics, nothing fits") << int(ExportFormat::Kinetics) << qint64(0);
        QTest::newRow("kinetics, mid-file") << int(ExportFormat::Kinetics) << qint64(100);
        QTest::newRow("labelstudio, second file") << int(ExportFormat::LabelStudio) << qint64(3000);
        QTest::newRow("activitynet, manifest") << int(ExportFormat::ActivityNet) << qint64(900);
    }

    void diskFullLeavesEarlierExportUnharmed() {
        QFETCH(int, format);
        QFETCH(qint64, capacity);
        QTemporaryDir dir;
        ProjectData earlier = sampleProject();
        earlier.videos.pop_back();
        ExportOptions options = optionsFor(static_cast<ExportFormat>(format), dir.path());
        QVERIFY(DatasetExport::run(earlier, options).ok());
        const auto before = snapshot(dir.path());
        QVERIFY(!before.isEmpty());

        options.capacityBytes = capacity;
        auto failed = DatasetExport::run(sampleProject(), options);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().category, ErrorCategory::Io);
        QVERIFY2(failed.error().message.contains(QStringLiteral("no space left")),
                 qPrintable(failed.error().toString()));
        QCOMPARE(snapshot(dir.path()), before);
    }

    void unwritableOutputFolder() {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(QStringLiteral("file"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        auto asFolder = DatasetExport::run(sampleProject(), optionsFor(ExportFormat::Kinetics, blocker));
        QVERIFY(!asFolder.ok());
        QVERIFY(asFolder.error().message.contains(QStringLiteral("not a folder")));
        auto below = DatasetExport::run(sampleProject(),
                                        optionsFor(ExportFormat::Kinetics, blocker + QStringLiteral("/out")));
        QVERIFY(!below.ok());
        QCOMPARE(below.error().category, ErrorCategory::AccessDenied);
        QCOMPARE(below.error().path, blocker + QStringLiteral("/out"));
    }

    void cancelledExportWritesNothing() {
        QTemporaryDir dir;
        CancellationToken cancel;
        cancel.cancel();
        auto result = DatasetExport::run(sampleProject(), optionsFor(ExportFormat::Cvat, dir.path()), cancel);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().category, ErrorCategory::Cancelled);
        QVERIFY(snapshot(dir.path()).isEmpty());
    }

    void failingClipCutLeavesNothing() {
        QTemporaryDir dir;
        ExportOptions options = optionsFor(ExportFormat::Kinetics, dir.path());
        options.clipMode = ClipMode::Copy;
        int calls = 0;
        options.cutClip = [&calls](const ClipRequest& request, const CancellationToken&) -> Status {
            QFile file(request.outputPath);
            file.open(QIODevice::WriteOnly);
            file.write("partial");
            return ++calls == 3
                       ? Status(Error::invalidData(request.sourcePath, QStringLiteral("broken packet")))
                       : Status();
        };
        auto result = DatasetExport::run(sampleProject(), options);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, QStringLiteral("broken packet"));
        QVERIFY(snapshot(dir.path()).isEmpty());

        options.cutClip = nullptr;
        QCOMPARE(DatasetExport::run(sampleProject(), options).error().category, ErrorCategory::Unsupported);
    }

    void stagedOutputRefusesEscapes() {
        QTemporaryDir dir;
        StagedOutput output(dir.path());
        QVERIFY(output.prepare().ok());
        QVERIFY(!output.writeFile(QStringLiteral("../x"), "a").ok());
        QVERIFY(!output.writeFile(QStringLiteral("/etc/x"), "a").ok());
        QVERIFY(output.writeFile(QStringLiteral("a/b.txt"), "a").ok());
        QVERIFY(!output.writeFile(QStringLiteral("a/b.txt"), "b").ok());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("a/b.txt"))));
        QVERIFY(output.commit().ok());
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("a/b.txt"))));
    }

    void jobReportsProgressAndFinishes() {
        QTemporaryDir dir;
        ExportJob job;
        QSignalSpy progress(&job, &ExportJob::progressChanged);
        QSignalSpy finished(&job, &ExportJob::finished);
        QSignalSpy failed(&job, &ExportJob::failed);
        QVERIFY(job.start(manyVideos(500), optionsFor(ExportFormat::Kinetics, dir.path())));
        QVERIFY(!job.start(sampleProject(), optionsFor(ExportFormat::Kinetics, dir.path())));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!progress.isEmpty());
        // Throttled: at most one report per percent (plus the final one), rising.
        QVERIFY2(progress.count() <= 102, qPrintable(QString::number(progress.count())));
        double last = -1.0;
        for (const QList<QVariant>& report : progress) {
            QVERIFY(report.first().toDouble() > last);
            last = report.first().toDouble();
        }
        QCOMPARE(last, 1.0);
        const auto summary = finished.first().first().value<ExportSummary>();
        QCOMPARE(summary.segments, 1500);
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("kinetics.csv"))));
    }

    void jobCancellation() {
        QTemporaryDir dir;
        ExportJob job;
        QSignalSpy finished(&job, &ExportJob::finished);
        QSignalSpy failed(&job, &ExportJob::failed);
        ExportOptions options = optionsFor(ExportFormat::Kinetics, dir.path());
        options.clipMode = ClipMode::Copy;
        // The cutter cancels the job from inside, so the cancellation lands mid-export every time.
        options.cutClip = [&job](const ClipRequest& request, const CancellationToken&) -> Status {
            job.cancel();
            QFile file(request.outputPath);
            file.open(QIODevice::WriteOnly);
            return {};
        };
        QVERIFY(job.start(manyVideos(20), options));
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.first().first().value<Error>().category, ErrorCategory::Cancelled);
        QVERIFY(snapshot(dir.path()).isEmpty());
    }

    void csvErrorsNameLineAndColumn_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("unclosed quote")
            << QStringLiteral("label,youtube_id,time_start,time_end\n\"run,x,1,2\n")
            << QStringLiteral("line 2, column 1: quoted field is never closed");
        QTest::newRow("stray quote") << QStringLiteral("label,youtube_id,time_start,time_end\nru\"n,x,1,2\n")
                                     << QStringLiteral("line 2, column 3: quote inside an unquoted field");
        QTest::newRow("after quote") << QStringLiteral(
                                            "label,youtube_id,time_start,time_end\n\"run\"x,x,1,2\n")
                                     << QStringLiteral("line 2, column 6: unexpected character");
        QTest::newRow("field count") << QStringLiteral("label,youtube_id,time_start,time_end\nrun,x,1\n")
                                     << QStringLiteral("line 2: 3 fields, the header has 4");
        QTest::newRow("number") << QStringLiteral("label,youtube_id,time_start,time_end\r\nrun,x,1,soon\r\n")
                                << QStringLiteral("line 2: time_start and time_end must be numbers");
        QTest::newRow("header") << QStringLiteral("a,b\n") << QStringLiteral("line 1: the header must name");
    }

    void csvErrorsNameLineAndColumn() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        auto parsed = KineticsImporter::parse(text, QStringLiteral("k.csv"));
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().path, QStringLiteral("k.csv"));
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void csvQuotedLineBreaksKeepLineNumbers() {
        auto records =
            CsvReader::parse(QStringLiteral("a,\"multi\nline\"\n\nb,c\n"), QStringLiteral("x.csv"));
        QVERIFY(records.ok());
        QCOMPARE(records->size(), size_t(2));
        QCOMPARE(records->at(0).fields[1], QStringLiteral("multi\nline"));
        QCOMPARE(records->at(1).line, 4);
    }

    void jsonImportErrors_data() {
        QTest::addColumn<bool>("labelStudio");
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("anet malformed") << false << QByteArray("{\"database\": {\n\"v\": }")
                                        << QStringLiteral("malformed JSON at line 2");
        QTest::newRow("anet no database")
            << false << QByteArray("{}") << QStringLiteral("no 'database' object");
        QTest::newRow("anet bad segment")
            << false
            << QByteArray(R"({"database": {"v": {"annotations": [{"segment": [1], "label": "a"}]}}})")
            << QStringLiteral("video 'v', annotation 0: 'segment' must be");
        QTest::newRow("anet bad subset") << false << QByteArray(R"({"database": {"v": {"subset": "dev"}}})")
                                         << QStringLiteral("unknown subset 'dev'");
        QTest::newRow("ls not a list") << true << QByteArray("{}") << QStringLiteral("JSON list of tasks");
        QTest::newRow("ls no video") << true << QByteArray(R"([{"data": {}}])")
                                     << QStringLiteral("task 0: no data.video");
        QTest::newRow("ls bad range")
            << true << QByteArray(R"([{"data": {"video": "/x/v.mp4"}, "annotations": [{"result": [
                                          {"type": "timelinelabels", "value": {"ranges": [{"start": "a"}], "timelinelabels": ["run"]}}]}]}])")
            << QStringLiteral("task 0, annotation 0, result 0: ranges need numeric start and end");
    }

    void jsonImportErrors() {
        QFETCH(bool, labelStudio);
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto parsed = labelStudio ? LabelStudioImporter::parse(json, QStringLiteral("in.json"))
                                  : ActivityNetImporter::parse(json, QStringLiteral("in.json"));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void importRefusesBadSegmentsAndChangesNothing_data() {
        QTest::addColumn<QString>("csv");
        QTest::addColumn<bool>("addLabels");
        QTest::addColumn<QString>("message");
        const QString header = QStringLiteral("label,youtube_id,time_start,time_end,split,is_cc\n");
        QTest::newRow("unknown label")
            << header + QStringLiteral("walk,clip_a,1,2,train,0\nswim,clip_a,1,2,train,0\n") << false
            << QStringLiteral("line 3: unknown label 'swim'");
        QTest::newRow("end before start")
            << header + QStringLiteral("walk,clip_a,5,2,train,0\n") << true
            << QStringLiteral("line 2 (video 'clip_a'): the segment ends (2 s) before it starts (5 s)");
        QTest::newRow("out of range")
            << header + QStringLiteral("walk,clip_a,5,12,train,0\n") << true
            << QStringLiteral(
                   "line 2 (video 'clip_a'): the segment ends at frame 360, after the video's 300 frames");
        QTest::newRow("empty") << header + QStringLiteral("walk,clip_a,5,5,train,0\n") << true
                               << QStringLiteral("not a valid range");
        QTest::newRow("missing video")
            << header + QStringLiteral("walk,clip_a,1,2,train,0\nwalk,nowhere,1,2,train,0\n") << true
            << QStringLiteral("video 'nowhere' is not in the project");
    }

    void importRefusesBadSegmentsAndChangesNothing() {
        QFETCH(QString, csv);
        QFETCH(bool, addLabels);
        QFETCH(QString, message);
        auto parsed = KineticsImporter::parse(csv, QStringLiteral("k.csv"));
        QVERIFY(parsed.ok());
        ProjectDocument document(withoutSegments(sampleProject()));
        const ProjectData before = document.data();
        ImportOptions options;
        options.addUnknownLabels = addLabels;
        auto applied = AnnotationImport::apply(*parsed, document, options);
        QVERIFY(!applied.ok());
        QCOMPARE(applied.error().path, QStringLiteral("k.csv"));
        QVERIFY2(applied.error().message.contains(message), qPrintable(applied.error().message));
        QCOMPARE(document.data(), before);
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void importIsOneUndoStepAndAddsLabels() {
        auto parsed =
            KineticsImporter::parse(QStringLiteral("label,youtube_id,time_start,time_end,split,is_cc\n"
                                                   "walk,clip_a,1,2,test,0\nswim,clip_b,0,1,val,0\n"),
                                    QStringLiteral("k.csv"));
        QVERIFY(parsed.ok());
        ProjectDocument document(withoutSegments(sampleProject()));
        auto applied = AnnotationImport::apply(*parsed, document);
        QVERIFY(applied.ok());
        QCOMPARE(applied->segments, 2);
        QCOMPARE(applied->addedLabels, QStringList{QStringLiteral("swim")});
        QCOMPARE(document.video(QStringLiteral("clip_a"))->split, Split::Test);
        QCOMPARE(document.video(QStringLiteral("clip_b"))->segments.front().endFrame, qint64(25));
        QCOMPARE(document.undoStack()->count(), 1);
        document.undoStack()->undo();
        QCOMPARE(document.data(), withoutSegments(sampleProject()));
    }
};

QTEST_GUILESS_MAIN(TestExportFailures)
#include "tst_exportfailures.moc"
