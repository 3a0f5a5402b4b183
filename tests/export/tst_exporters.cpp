#include "export/exportfixtures.h"

#include "core/annotation/projectdocument.h"
#include "core/export/activitynetimporter.h"
#include "core/export/annotationimport.h"
#include "core/export/cvatexporter.h"
#include "core/export/datasetexport.h"
#include "core/export/kineticsimporter.h"
#include "core/export/labelstudioexporter.h"
#include "core/export/labelstudioimporter.h"
#include "core/export/provenancemanifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace saccade;
using namespace saccade::testing;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

ExportSummary exportTo(const ProjectData& data, ExportFormat format, const QString& dir,
                       bool proposals = false, ClipMode clips = ClipMode::None) {
    ExportOptions options;
    options.format = format;
    options.outputDirectory = dir;
    options.includeProposals = proposals;
    options.clipMode = clips;
    // Stands in for the media engine: records the request in the clip file.
    options.cutClip = [](const ClipRequest& request, const CancellationToken&) -> Status {
        QFile file(request.outputPath);
        if (!file.open(QIODevice::WriteOnly))
            return Error::io(request.outputPath, QStringLiteral("cannot write"));
        file.write(QStringLiteral("%1 %2 %3 %4")
                       .arg(request.sourcePath)
                       .arg(request.startFrame)
                       .arg(request.endFrame)
                       .arg(clipModeName(request.mode))
                       .toUtf8());
        return {};
    };
    auto summary = DatasetExport::run(data, options);
    if (!summary.ok())
        qWarning() << summary.error().toString();
    return summary.ok() ? *summary : ExportSummary{};
}

ProjectData importBack(const ImportedAnnotations& imported, const ProjectData& into) {
    ProjectDocument document(withoutSegments(into));
    auto applied = AnnotationImport::apply(imported, document);
    if (!applied.ok())
        qWarning() << applied.error().toString();
    return document.data();
}

} // namespace

class TestExporters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void kineticsCsv() {
        QTemporaryDir dir;
        const ExportSummary summary = exportTo(sampleProject(), ExportFormat::Kinetics, dir.path());
        QCOMPARE(summary.files, (QStringList{QStringLiteral("kinetics.csv"), ProvenanceManifest::kFileName}));
        const QString text = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("kinetics.csv"))));
        QVERIFY(text.startsWith(QStringLiteral("label,youtube_id,time_start,time_end,split,is_cc\n")));
        QVERIFY2(text.contains(QStringLiteral("\"air drumming\",clip_a,1,3,train,0\n")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("\"say \"\"hi\"\"\",clip_a,8.333,10,train,0\n")));
        const QList<QStringList> rows = parseCsv(text);
        QCOMPARE(rows.size(), 6); // header + 3 confirmed in clip_a + 2 in clip_b
        for (const QStringList& row : rows)
            QCOMPARE(row.size(), 6);
        QCOMPARE(rows[2],
                 (QStringList{QStringLiteral("jump, high"), QStringLiteral("clip_a"), QStringLiteral("2"),
                              QStringLiteral("4"), QStringLiteral("train"), QStringLiteral("0")}));
        QCOMPARE(rows[4][1], QStringLiteral("clip_b"));
        QCOMPARE(rows[4][2], QStringLiteral("0"));
        QCOMPARE(rows[4][3], QStringLiteral("0.04"));
        QCOMPARE(rows[4][4], QStringLiteral("val"));
    }

    void kineticsRoundTrip() {
        QTemporaryDir dir;
        const ProjectData data = sampleProject();
        exportTo(data, ExportFormat::Kinetics, dir.path());
        auto imported = KineticsImporter::read(dir.filePath(QStringLiteral("kinetics.csv")));
        QVERIFY(imported.ok());
        const ProjectData back = importBack(*imported, data);
        QCOMPARE(segmentKeys(back, false), segmentKeys(data, false));
        QCOMPARE(back.videos[0].split, Split::Train);
        QCOMPARE(back.videos[1].split, Split::Val);
    }

    void kineticsClips() {
        QTemporaryDir dir;
        const ExportSummary summary =
            exportTo(sampleProject(), ExportFormat::Kinetics, dir.path(), false, ClipMode::Copy);
        QVERIFY(summary.files.contains(QStringLiteral("clips/clip_a_000030_000090.mp4")));
        QCOMPARE(QString::fromUtf8(readAll(dir.filePath(QStringLiteral("clips/clip_b_000013_000077.mp4")))),
                 QStringLiteral("/videos/clip_b.mkv 13 77 copy"));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("clips/clip_a_000150_000200.mp4"))));
    }

    void slowFastLists() {
        QTemporaryDir dir;
        const ExportSummary summary =
            exportTo(sampleProject(), ExportFormat::SlowFast, dir.path(), false, ClipMode::Reencode);
        QVERIFY(summary.files.contains(QStringLiteral("train.csv")));
        QCOMPARE(QString::fromUtf8(readAll(dir.filePath(QStringLiteral("labels.txt")))),
                 QStringLiteral("air drumming\njump, high\nsay \"hi\"\nwalk\n"));
        const QStringList train = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("train.csv"))))
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(train, (QStringList{QStringLiteral("clips/clip_a_000030_000090.mp4 0"),
                                     QStringLiteral("clips/clip_a_000060_000120.mp4 1"),
                                     QStringLiteral("clips/clip_a_000250_000300.mp4 2")}));
        for (const QString& line : train) {
            const QStringList fields = line.split(QLatin1Char(' '));
            QCOMPARE(fields.size(), 2);
            QVERIFY(QFileInfo::exists(dir.filePath(fields[0])));
        }
        QCOMPARE(QString::fromUtf8(readAll(dir.filePath(QStringLiteral("val.csv")))),
                 QStringLiteral("clips/clip_b_000000_000001.mp4 3\nclips/clip_b_000013_000077.mp4 0\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("test.csv"))), QByteArray());
        QVERIFY(readAll(dir.filePath(QStringLiteral("clips/clip_a_000030_000090.mp4"))).endsWith("reencode"));

        ProjectData unassigned = withoutSegments(sampleProject());
        ExportOptions options;
        options.format = ExportFormat::SlowFast;
        options.outputDirectory = dir.filePath(QStringLiteral("none"));
        options.cutClip = [](const ClipRequest&, const CancellationToken&) {
            return Status();
        };
        auto failed = DatasetExport::run(unassigned, options);
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().message.contains(QStringLiteral("no video is in a split")));
    }

    void activityNetJson() {
        QTemporaryDir dir;
        const ProjectData data = sampleProject();
        exportTo(data, ExportFormat::ActivityNet, dir.path());
        const QJsonObject root =
            QJsonDocument::fromJson(readAll(dir.filePath(QStringLiteral("activitynet.json")))).object();
        QCOMPARE(root.value(QStringLiteral("version")).toString(), QStringLiteral("VERSION 1.3"));
        QVERIFY(root.value(QStringLiteral("taxonomy")).isArray());
        const QJsonObject database = root.value(QStringLiteral("database")).toObject();
        QCOMPARE(database.keys(), (QStringList{QStringLiteral("clip_a"), QStringLiteral("clip_b")}));
        const QJsonObject a = database.value(QStringLiteral("clip_a")).toObject();
        QCOMPARE(a.value(QStringLiteral("subset")).toString(), QStringLiteral("training"));
        QCOMPARE(a.value(QStringLiteral("duration")).toDouble(), 10.0);
        QCOMPARE(a.value(QStringLiteral("resolution")).toString(), QStringLiteral("320x240"));
        QVERIFY(a.value(QStringLiteral("url")).isString());
        const QJsonArray annotations = a.value(QStringLiteral("annotations")).toArray();
        QCOMPARE(annotations.size(), 3);
        QCOMPARE(annotations[0].toObject().value(QStringLiteral("segment")).toArray(),
                 (QJsonArray{1.0, 3.0}));
        QCOMPARE(annotations[0].toObject().value(QStringLiteral("label")).toString(),
                 QStringLiteral("air drumming"));
        QCOMPARE(
            database.value(QStringLiteral("clip_b")).toObject().value(QStringLiteral("subset")).toString(),
            QStringLiteral("validation"));

        auto imported = ActivityNetImporter::read(dir.filePath(QStringLiteral("activitynet.json")));
        QVERIFY(imported.ok());
        QCOMPARE(segmentKeys(importBack(*imported, data), false), segmentKeys(data, false));
    }

    void cvatXml() {
        QTemporaryDir dir;
        exportTo(sampleProject(), ExportFormat::Cvat, dir.path(), true);
        // Named after the video file ("/videos/clip a.mp4"), as FiftyOne pairs labels and videos.
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("cvat/clip_b.xml"))));
        QFile file(dir.filePath(QStringLiteral("cvat/clip a.xml")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList labels;
        QString size;
        QString mode;
        QString width;
        struct Track {
            QString label;
            QString source;
            QList<std::pair<qint64, bool>> boxes;
        };
        QList<Track> tracks;
        QStringList path;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                path << xml.name().toString();
                const QString where = path.join(QLatin1Char('/'));
                if (where == QLatin1String("annotations/meta/task/size"))
                    size = xml.readElementText();
                else if (where == QLatin1String("annotations/meta/task/mode"))
                    mode = xml.readElementText();
                else if (where == QLatin1String("annotations/meta/task/original_size/width"))
                    width = xml.readElementText();
                else if (where == QLatin1String("annotations/meta/task/labels/label/name"))
                    labels << xml.readElementText();
                else if (where == QLatin1String("annotations/track"))
                    tracks << Track{xml.attributes().value(QStringLiteral("label")).toString(),
                                    xml.attributes().value(QStringLiteral("source")).toString(),
                                    {}};
                else if (where == QLatin1String("annotations/track/box")) {
                    QCOMPARE(xml.attributes().value(QStringLiteral("xbr")).toString(), QStringLiteral("320"));
                    QCOMPARE(xml.attributes().value(QStringLiteral("ybr")).toString(), QStringLiteral("240"));
                    tracks.last().boxes << std::make_pair(
                        xml.attributes().value(QStringLiteral("frame")).toLongLong(),
                        xml.attributes().value(QStringLiteral("outside")) == QLatin1String("1"));
                }
                if (xml.tokenType() == QXmlStreamReader::EndElement)
                    path.removeLast();
            } else if (xml.isEndElement()) {
                path.removeLast();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(size, QStringLiteral("300"));
        QCOMPARE(mode, QStringLiteral("interpolation"));
        QCOMPARE(width, QStringLiteral("320"));
        QCOMPARE(labels.size(), 4);
        QCOMPARE(tracks.size(), 4); // three confirmed and one proposal; the rejected one is left out
        // As FiftyOne and datumaro read a track: the boxes as they stand, no interpolation, outside ones
        // dropped. Every frame of the segment must be labelled, and no other.
        auto framesShown = [](const Track& track) {
            QList<qint64> frames;
            for (const auto& [frame, outside] : track.boxes) {
                if (!outside)
                    frames << frame;
            }
            return frames;
        };
        auto range = [](qint64 start, qint64 end) {
            QList<qint64> frames;
            for (qint64 frame = start; frame < end; ++frame)
                frames << frame;
            return frames;
        };
        QCOMPARE(tracks[0].label, QStringLiteral("air drumming"));
        QCOMPARE(framesShown(tracks[0]), range(30, 90));
        QCOMPARE(tracks[0].boxes.last(), std::make_pair(qint64(90), true));
        QCOMPARE(framesShown(tracks[1]), range(60, 120));
        QCOMPARE(tracks[2].source, QStringLiteral("auto"));
        QCOMPARE(framesShown(tracks[2]), range(150, 200));
        // Runs to the last frame: no frame after it to close the track on.
        QCOMPARE(framesShown(tracks[3]), range(250, 300));
        QCOMPARE(tracks[3].boxes.size(), 50);
    }

    void cvatStemsAreUnique() {
        std::vector<VideoEntry> videos(3);
        videos[0].id = QStringLiteral("a");
        videos[0].path = QStringLiteral("/one/take.mp4");
        videos[1].id = QStringLiteral("b");
        videos[1].path = QStringLiteral("/two/take.mkv");
        videos[2].id = QStringLiteral("c");
        videos[2].path = QStringLiteral("/two/Take.mp4");
        QCOMPARE(CvatExporter::fileStems(videos),
                 (QStringList{QStringLiteral("take"), QStringLiteral("take_2"), QStringLiteral("Take_3")}));
    }

    void labelStudioJsonAndConfig() {
        QTemporaryDir dir;
        const ProjectData data = sampleProject();
        exportTo(data, ExportFormat::LabelStudio, dir.path(), true);
        const QJsonArray tasks =
            QJsonDocument::fromJson(readAll(dir.filePath(QStringLiteral("labelstudio.json")))).array();
        QCOMPARE(tasks.size(), 2);
        const QJsonObject task = tasks[0].toObject();
        // Label Studio's converter needs task ids; each task has its video's rate for frameRate="$fps".
        QCOMPARE(task.value(QStringLiteral("id")).toInt(), 1);
        QCOMPARE(tasks[1].toObject().value(QStringLiteral("id")).toInt(), 2);
        QCOMPARE(task.value(QStringLiteral("data")).toObject().value(QStringLiteral("fps")).toDouble(), 30.0);
        QCOMPARE(tasks[1]
                     .toObject()
                     .value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("fps"))
                     .toDouble(),
                 25.0);
        // A local-files path relative to the folder holding both videos.
        QCOMPARE(task.value(QStringLiteral("data")).toObject().value(QStringLiteral("video")).toString(),
                 QStringLiteral("/data/local-files/?d=clip%20a.mp4"));
        const QJsonArray results = task.value(QStringLiteral("annotations"))
                                       .toArray()[0]
                                       .toObject()
                                       .value(QStringLiteral("result"))
                                       .toArray();
        QCOMPARE(results.size(), 3);
        const QJsonObject first = results[0].toObject();
        QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("timelinelabels"));
        QCOMPARE(first.value(QStringLiteral("from_name")).toString(), QStringLiteral("timeline"));
        QCOMPARE(first.value(QStringLiteral("to_name")).toString(), QStringLiteral("video"));
        QCOMPARE(first.value(QStringLiteral("origin")).toString(), QStringLiteral("manual"));
        const QJsonObject range = first.value(QStringLiteral("value"))
                                      .toObject()
                                      .value(QStringLiteral("ranges"))
                                      .toArray()[0]
                                      .toObject();
        // Frames 30..89 (0-based, end exclusive) are 31..90 in Label Studio (1-based, inclusive).
        QCOMPARE(range.value(QStringLiteral("start")).toInt(), 31);
        QCOMPARE(range.value(QStringLiteral("end")).toInt(), 90);
        const QJsonObject prediction = task.value(QStringLiteral("predictions")).toArray()[0].toObject();
        QCOMPARE(prediction.value(QStringLiteral("model_version")).toString(), QStringLiteral("sha256:cafe"));
        QCOMPARE(prediction.value(QStringLiteral("result"))
                     .toArray()[0]
                     .toObject()
                     .value(QStringLiteral("score"))
                     .toDouble(),
                 0.875);

        QXmlStreamReader config(readAll(dir.filePath(QStringLiteral("labelstudio-config.xml"))));
        QStringList labels;
        QString frameRate;
        while (!config.atEnd()) {
            if (config.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (config.name() == QLatin1String("Video"))
                frameRate = config.attributes().value(QStringLiteral("frameRate")).toString();
            if (config.name() == QLatin1String("Label"))
                labels << config.attributes().value(QStringLiteral("value")).toString();
        }
        QVERIFY(!config.hasError());
        QCOMPARE(labels, data.labels.names());
        QCOMPARE(frameRate, QStringLiteral("$fps"));

        auto imported = LabelStudioImporter::read(dir.filePath(QStringLiteral("labelstudio.json")));
        QVERIFY(imported.ok());
        const ProjectData back = importBack(*imported, data);
        QCOMPARE(segmentKeys(back, true), segmentKeys(data, true));
        QCOMPARE(back.videos[0].segments.back().source.confidence, std::optional<double>(0.875));
    }

    void labelStudioMediaRootAndUrl() {
        VideoEntry video;
        video.id = QStringLiteral("v");
        video.path = QStringLiteral("/data/sets/a b/caf\u00e9.mp4");
        QCOMPARE(*LabelStudioExporter::mediaReference(video, QStringLiteral("/data"), QString()),
                 QStringLiteral("/data/local-files/?d=sets/a%20b/caf%C3%A9.mp4"));
        QCOMPARE(*LabelStudioExporter::mediaReference(video, QStringLiteral("/data/sets"),
                                                      QStringLiteral("https://media.example/v")),
                 QStringLiteral("https://media.example/v/a%20b/caf%C3%A9.mp4"));
        const auto outside =
            LabelStudioExporter::mediaReference(video, QStringLiteral("/elsewhere"), QString());
        QVERIFY(!outside.ok());
        QVERIFY(outside.error().message.contains(QStringLiteral("not under the media root /elsewhere")));

        // The importer reads the file name back out of the URL.
        const QByteArray json =
            R"([{"id": 1, "data": {"video": "/data/local-files/?d=sets/a%20b/caf%C3%A9.mp4"},
                                     "annotations": []}])";
        auto imported = LabelStudioImporter::parse(json, QStringLiteral("ls.json"));
        QVERIFY(imported.ok());
        QCOMPARE(imported->videos[0].id, QString::fromUtf8("caf\xc3\xa9"));
        QCOMPARE(imported->videos[0].fileName, QString::fromUtf8("caf\xc3\xa9.mp4"));
    }

    void avaWarnsAboutSegmentsWithoutKeyframe() {
        ProjectData data = sampleProject();
        // 31-40 at 30 fps is 1.033-1.333 s: no whole second inside.
        data.videos[0].segments.push_back(
            makeSegment(QStringLiteral("short"), 31, 40, QStringLiteral("walk")));
        ExportOptions options;
        options.format = ExportFormat::Ava;
        QTemporaryDir dir;
        options.outputDirectory = dir.path();
        auto summary = DatasetExport::run(data, options);
        QVERIFY(summary.ok());
        QCOMPARE(summary->warnings.size(), 1);
        QVERIFY2(
            summary->warnings[0].contains(QStringLiteral("video 'clip_a', segment 'walk' at frames 31-40")),
            qPrintable(summary->warnings[0]));
        exportTo(sampleProject(), ExportFormat::Ava, dir.path());
        QVERIFY(DatasetExport::run(sampleProject(), options)->warnings.isEmpty());
    }

    void manifestRestoresStatesAndSources() {
        QTemporaryDir dir;
        const ProjectData data = sampleProject();
        exportTo(data, ExportFormat::Kinetics, dir.path());
        auto imported = KineticsImporter::read(dir.filePath(QStringLiteral("kinetics.csv")));
        QVERIFY(imported.ok());
        auto manifest = ExportManifest::readBeside(dir.filePath(QStringLiteral("kinetics.csv")));
        QVERIFY(manifest.ok() && manifest->has_value());
        (*manifest)->annotate(*imported);
        QCOMPARE(imported->videos[0].fileName, QStringLiteral("clip a.mp4"));
        ProjectDocument document(withoutSegments(data));
        ImportOptions options;
        options.manifest = &**manifest;
        auto applied = AnnotationImport::apply(*imported, document, options);
        QVERIFY(applied.ok());
        QCOMPARE(applied->restored, 5);
        const Segment* edited = nullptr;
        for (const Segment& segment : document.data().videos[0].segments) {
            if (segment.startFrame == 250)
                edited = &segment;
        }
        QVERIFY(edited);
        QCOMPARE(edited->state, SegmentState::Edited);
        // Without the manifest the format alone says accepted.
        ProjectDocument plain(withoutSegments(data));
        QVERIFY(AnnotationImport::apply(*imported, plain).ok());
        QCOMPARE(plain.data().videos[0].segments.back().state, SegmentState::Accepted);
    }

    void avaCsv() {
        QTemporaryDir dir;
        exportTo(sampleProject(), ExportFormat::Ava, dir.path());
        const QList<QStringList> rows =
            parseCsv(QString::fromUtf8(readAll(dir.filePath(QStringLiteral("ava.csv")))));
        // clip_a: air drumming covers seconds 1-2, jump 2-3, say hi 9 (8.33-10 s); clip_b: walk at 0,
        // air drumming 1-3 (0.52-3.08 s).
        QStringList compact;
        for (const QStringList& row : rows) {
            QCOMPARE(row.size(), 8);
            QCOMPARE(row.mid(2, 4), (QStringList{QStringLiteral("0.000"), QStringLiteral("0.000"),
                                                 QStringLiteral("1.000"), QStringLiteral("1.000")}));
            compact << row[0] + QLatin1Char('@') + row[1] + QLatin1Char('=') + row[6];
        }
        QCOMPARE(compact, (QStringList{QStringLiteral("clip_a@1=1"), QStringLiteral("clip_a@2=1"),
                                       QStringLiteral("clip_a@2=2"), QStringLiteral("clip_a@3=2"),
                                       QStringLiteral("clip_a@9=3"), QStringLiteral("clip_b@0=4"),
                                       QStringLiteral("clip_b@1=1"), QStringLiteral("clip_b@2=1"),
                                       QStringLiteral("clip_b@3=1")}));
        const QString map = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("label_map.pbtxt"))));
        QVERIFY(map.contains(QStringLiteral("item {\n  name: \"air drumming\"\n  id: 1\n}")));
        QVERIFY(map.contains(QStringLiteral("name: \"say \\\"hi\\\"\"\n  id: 3")));
    }

    void manifestRecordsProvenance() {
        QTemporaryDir dir;
        exportTo(sampleProject(), ExportFormat::ActivityNet, dir.path(), true);
        const QJsonObject manifest =
            QJsonDocument::fromJson(readAll(dir.filePath(ProvenanceManifest::kFileName))).object();
        QCOMPARE(manifest.value(QStringLiteral("format")).toString(), QStringLiteral("activitynet"));
        QCOMPARE(manifest.value(QStringLiteral("format_version")).toString(), QStringLiteral("VERSION 1.3"));
        QCOMPARE(manifest.value(QStringLiteral("label_map")).toArray().size(), 4);
        QCOMPARE(manifest.value(QStringLiteral("model_hashes")).toArray(),
                 QJsonArray{QStringLiteral("sha256:cafe")});
        QCOMPARE(manifest.value(QStringLiteral("files")).toArray(),
                 (QJsonArray{QStringLiteral("activitynet.json"), ProvenanceManifest::kFileName}));
        const QJsonObject video = manifest.value(QStringLiteral("videos")).toArray()[0].toObject();
        QCOMPARE(video.value(QStringLiteral("content_hash")).toString(),
                 QStringLiteral("sha256-sampled:aaaa"));
        QCOMPARE(video.value(QStringLiteral("fps")).toDouble(), 30.0);
        const QJsonArray segments = video.value(QStringLiteral("segments")).toArray();
        QCOMPARE(segments.size(), 4);
        const QJsonObject proposal = segments[2].toObject();
        QCOMPARE(proposal.value(QStringLiteral("state")).toString(), QStringLiteral("proposed"));
        QCOMPARE(proposal.value(QStringLiteral("origin")).toString(), QStringLiteral("model"));
        QCOMPARE(proposal.value(QStringLiteral("confirmed_by_person")).toBool(), false);
        QCOMPARE(proposal.value(QStringLiteral("confidence")).toDouble(), 0.875);
        QCOMPARE(segments[3].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("edited"));
        QCOMPARE(segments[3].toObject().value(QStringLiteral("confirmed_by_person")).toBool(), true);
    }

    void proposalsOnlyOnRequest() {
        QTemporaryDir without;
        QTemporaryDir with;
        exportTo(sampleProject(), ExportFormat::Kinetics, without.path(), false);
        exportTo(sampleProject(), ExportFormat::Kinetics, with.path(), true);
        QCOMPARE(
            parseCsv(QString::fromUtf8(readAll(without.filePath(QStringLiteral("kinetics.csv"))))).size(), 6);
        const QString withText = QString::fromUtf8(readAll(with.filePath(QStringLiteral("kinetics.csv"))));
        QCOMPARE(parseCsv(withText).size(), 7);
        QVERIFY(withText.contains(QStringLiteral("walk,clip_a,5,6.667,train,0")));
        QVERIFY(!withText.contains(QStringLiteral("walk,clip_a,6.667")));
    }
};

QTEST_GUILESS_MAIN(TestExporters)
#include "tst_exporters.moc"
