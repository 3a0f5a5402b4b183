#include "core/annotation/projectfile.h"

#include "core/util/filereading.h"
#include "core/util/atomicfile.h"
#include "core/util/filehash.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>
#include <map>

namespace saccade {

namespace {

const QString kVersionKey = QStringLiteral("saccade_project_version");
// Bounds the search for moved videos so a project next to a huge tree still opens quickly.
constexpr int kMaxFilesSearched = 20000;
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

QJsonObject segmentToJson(const Segment& segment) {
    QJsonObject source{{QStringLiteral("kind"), segmentOriginName(segment.source.origin)}};
    if (!segment.source.modelHash.isEmpty())
        source.insert(QStringLiteral("model_hash"), segment.source.modelHash);
    if (segment.source.confidence)
        source.insert(QStringLiteral("confidence"), *segment.source.confidence);
    QJsonObject object{{QStringLiteral("id"), segment.id},
                       {QStringLiteral("start_frame"), segment.startFrame},
                       {QStringLiteral("end_frame"), segment.endFrame},
                       {QStringLiteral("label"), segment.label},
                       {QStringLiteral("state"), segmentStateName(segment.state)},
                       {QStringLiteral("source"), source}};
    if (!segment.note.isEmpty())
        object.insert(QStringLiteral("note"), segment.note);
    return object;
}

// Reads typed fields and remembers the first problem with its location in the file.
class Reader {
public:
    explicit Reader(QString path) : m_path(std::move(path)) {}

    bool failed() const { return m_failed; }
    Error error() const { return Error::invalidData(m_path, m_message); }
    void fail(const QString& message) {
        if (!m_failed)
            m_message = message;
        m_failed = true;
    }

    QString string(const QJsonObject& object, const QString& key, const QString& where,
                   bool required = true) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() && !required)
            return {};
        if (!value.isString())
            fail(QStringLiteral("%1: '%2' must be a string").arg(where, key));
        return value.toString();
    }
    double number(const QJsonObject& object, const QString& key, const QString& where, bool required = true) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() && !required)
            return 0.0;
        if (!value.isDouble())
            fail(QStringLiteral("%1: '%2' must be a number").arg(where, key));
        return value.toDouble();
    }
    qint64 integer(const QJsonObject& object, const QString& key, const QString& where,
                   bool required = true) {
        const double value = number(object, key, where, required);
        if (value != std::floor(value))
            fail(QStringLiteral("%1: '%2' must be a whole number").arg(where, key));
        // Past 2^53 a JSON number no longer holds every whole number (and the cast could overflow).
        if (!(std::fabs(value) <= kMaxExactInteger)) {
            fail(QStringLiteral("%1: '%2' = %3 is out of range").arg(where, key).arg(value, 0, 'g', 17));
            return 0;
        }
        return static_cast<qint64>(value);
    }
    // A number that must be finite and at least `minimum` (or above it when `strict`).
    double bounded(const QJsonObject& object, const QString& key, const QString& where, double minimum,
                   bool strict, bool required = true) {
        const double value = number(object, key, where, required);
        if (!std::isfinite(value) || value < minimum || (strict && value == minimum))
            fail(QStringLiteral("%1: '%2' = %3 must be %4 %5")
                     .arg(where, key)
                     .arg(value)
                     .arg(strict ? QStringLiteral("greater than") : QStringLiteral("at least"))
                     .arg(minimum));
        return value;
    }
    QJsonArray array(const QJsonObject& object, const QString& key, const QString& where) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return {};
        if (!value.isArray())
            fail(QStringLiteral("%1: '%2' must be a list").arg(where, key));
        return value.toArray();
    }

private:
    QString m_path;
    QString m_message;
    bool m_failed = false;
};

Segment segmentFromJson(Reader& reader, const QJsonObject& object, const QString& where) {
    Segment segment;
    segment.id = reader.string(object, QStringLiteral("id"), where);
    segment.startFrame = reader.integer(object, QStringLiteral("start_frame"), where);
    segment.endFrame = reader.integer(object, QStringLiteral("end_frame"), where);
    segment.label = reader.string(object, QStringLiteral("label"), where);
    segment.note = reader.string(object, QStringLiteral("note"), where, false);
    const auto state = segmentStateFromName(reader.string(object, QStringLiteral("state"), where));
    if (!state)
        reader.fail(QStringLiteral("%1: unknown state '%2'")
                        .arg(where, object.value(QStringLiteral("state")).toString()));
    segment.state = state.value_or(SegmentState::Accepted);
    const QJsonObject source = object.value(QStringLiteral("source")).toObject();
    const auto origin = segmentOriginFromName(source.value(QStringLiteral("kind")).toString());
    if (!origin)
        reader.fail(QStringLiteral("%1: source kind must be 'model' or 'person'").arg(where));
    segment.source.origin = origin.value_or(SegmentOrigin::Person);
    segment.source.modelHash = reader.string(source, QStringLiteral("model_hash"), where, false);
    if (source.contains(QStringLiteral("confidence")))
        segment.source.confidence = reader.bounded(source, QStringLiteral("confidence"), where, 0.0, false);
    if (segment.id.isEmpty())
        reader.fail(QStringLiteral("%1: empty segment id").arg(where));
    if (segment.endFrame <= segment.startFrame || segment.startFrame < 0)
        reader.fail(QStringLiteral("%1: frames %2-%3 are not a valid range (end must be after start)")
                        .arg(where)
                        .arg(segment.startFrame)
                        .arg(segment.endFrame));
    return segment;
}

// Version 1 -> 2: label names become label objects; inclusive `end` becomes half-open `end_frame`;
// the `proposed` flag and bare `confidence` become a state and a source.
QJsonObject migrateVersion1(QJsonObject root) {
    QJsonArray labels;
    int index = 0;
    for (const QJsonValue& name : root.value(QStringLiteral("labels")).toArray()) {
        labels.append(QJsonObject{{QStringLiteral("name"), name.toString()},
                                  {QStringLiteral("color"), LabelSet::defaultColor(index).name()},
                                  {QStringLiteral("key"), index < 10 ? (index + 1) % 10 : -1}});
        ++index;
    }
    root.insert(QStringLiteral("labels"), labels);
    QJsonArray videos;
    for (const QJsonValue& videoValue : root.value(QStringLiteral("videos")).toArray()) {
        QJsonObject video = videoValue.toObject();
        QJsonArray segments;
        for (const QJsonValue& segmentValue : video.value(QStringLiteral("segments")).toArray()) {
            const QJsonObject old = segmentValue.toObject();
            const bool proposed = old.value(QStringLiteral("proposed")).toBool();
            QJsonObject source{
                {QStringLiteral("kind"), proposed ? QStringLiteral("model") : QStringLiteral("person")}};
            if (old.contains(QStringLiteral("confidence")))
                source.insert(QStringLiteral("confidence"), old.value(QStringLiteral("confidence")));
            segments.append(QJsonObject{
                {QStringLiteral("id"), old.contains(QStringLiteral("id")) ? old.value(QStringLiteral("id"))
                                                                          : QJsonValue(Segment::newId())},
                {QStringLiteral("start_frame"), old.value(QStringLiteral("start"))},
                {QStringLiteral("end_frame"), old.value(QStringLiteral("end")).toDouble() + 1},
                {QStringLiteral("label"), old.value(QStringLiteral("label"))},
                {QStringLiteral("state"), proposed ? QStringLiteral("proposed") : QStringLiteral("accepted")},
                {QStringLiteral("source"), source}});
        }
        video.insert(QStringLiteral("segments"), segments);
        videos.append(video);
    }
    root.insert(QStringLiteral("videos"), videos);
    root.insert(kVersionKey, 2);
    return root;
}

} // namespace

QByteArray ProjectFile::serialize(const ProjectData& data, const QString& projectPath) {
    const QDir base = QFileInfo(projectPath).absoluteDir();
    QJsonArray labels;
    for (const Label& label : data.labels.labels())
        labels.append(QJsonObject{{QStringLiteral("name"), label.name},
                                  {QStringLiteral("color"), label.color.name()},
                                  {QStringLiteral("key"), label.key}});
    QJsonArray videos;
    for (const VideoEntry& video : data.videos) {
        QJsonArray segments;
        for (const Segment& segment : video.segments)
            segments.append(segmentToJson(segment));
        videos.append(QJsonObject{{QStringLiteral("id"), video.id},
                                  {QStringLiteral("path"), base.relativeFilePath(video.path)},
                                  {QStringLiteral("content_hash"), video.contentHash},
                                  {QStringLiteral("size_bytes"), video.sizeBytes},
                                  {QStringLiteral("width"), video.probe.width},
                                  {QStringLiteral("height"), video.probe.height},
                                  {QStringLiteral("fps"), video.probe.fps},
                                  {QStringLiteral("frame_count"), video.probe.frameCount},
                                  {QStringLiteral("duration_seconds"), video.probe.durationSeconds},
                                  {QStringLiteral("split"), splitName(video.split)},
                                  {QStringLiteral("labels"), QJsonArray::fromStringList(video.videoLabels)},
                                  {QStringLiteral("segments"), segments}});
    }
    const QJsonObject root{{kVersionKey, kCurrentVersion},
                           {QStringLiteral("name"), data.name},
                           {QStringLiteral("labels"), labels},
                           {QStringLiteral("videos"), videos}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<QJsonObject> ProjectFile::migrate(QJsonObject root, const QString& projectPath) {
    const QJsonValue versionValue = root.value(kVersionKey);
    if (!versionValue.isDouble())
        return Error::invalidData(projectPath,
                                  QStringLiteral("not a Saccade project (no '%1' number)").arg(kVersionKey));
    const int version = versionValue.toInt();
    if (version > kCurrentVersion)
        return Error::unsupported(projectPath,
                                  QStringLiteral("the project was written by a newer Saccade "
                                                 "(format version %1; this build reads up to %2)")
                                      .arg(version)
                                      .arg(kCurrentVersion));
    if (version < 1)
        return Error::invalidData(projectPath, QStringLiteral("invalid format version %1").arg(version));
    if (version == 1)
        root = migrateVersion1(std::move(root));
    return root;
}

Result<ProjectData> ProjectFile::parse(const QByteArray& json, const QString& projectPath) {
    auto document = parseJson(json, projectPath);
    if (!document)
        return document.error();
    if (!document->isObject())
        return Error::invalidData(projectPath, QStringLiteral("a project file must hold a JSON object"));
    auto migrated = migrate(document->object(), projectPath);
    if (!migrated)
        return migrated.error();
    const QJsonObject& root = *migrated;
    const QDir base = QFileInfo(projectPath).absoluteDir();
    Reader reader(projectPath);
    ProjectData data;
    data.name = reader.string(root, QStringLiteral("name"), QStringLiteral("project"), false);
    for (const QJsonValue& value : reader.array(root, QStringLiteral("labels"), QStringLiteral("project"))) {
        const QJsonObject object = value.toObject();
        const QString name = reader.string(object, QStringLiteral("name"), QStringLiteral("label"));
        Status added = data.labels.add(name);
        if (!added) {
            reader.fail(added.error().message);
            continue;
        }
        if (object.contains(QStringLiteral("color")))
            (void)data.labels.setColor(name, QColor(object.value(QStringLiteral("color")).toString()));
        (void)data.labels.setKey(name, object.value(QStringLiteral("key")).toInt(-1));
    }
    for (const QJsonValue& value : reader.array(root, QStringLiteral("videos"), QStringLiteral("project"))) {
        const QJsonObject object = value.toObject();
        VideoEntry video;
        video.id = reader.string(object, QStringLiteral("id"), QStringLiteral("video"));
        const QString where = QStringLiteral("video '%1'").arg(video.id);
        if (video.id.isEmpty() || data.videoIndex(video.id) >= 0)
            reader.fail(QStringLiteral("%1: video ids must be unique and non-empty").arg(where));
        video.path =
            QDir::cleanPath(base.absoluteFilePath(reader.string(object, QStringLiteral("path"), where)));
        video.contentHash = reader.string(object, QStringLiteral("content_hash"), where, false);
        video.sizeBytes = reader.integer(object, QStringLiteral("size_bytes"), where, false);
        const qint64 width = reader.integer(object, QStringLiteral("width"), where, false);
        const qint64 height = reader.integer(object, QStringLiteral("height"), where, false);
        if (width < 0 || height < 0 || width > 65536 || height > 65536 || video.sizeBytes < 0)
            reader.fail(QStringLiteral("%1: size %2x%3 or %4 bytes is not possible")
                            .arg(where)
                            .arg(width)
                            .arg(height)
                            .arg(video.sizeBytes));
        video.probe.width = static_cast<int>(width);
        video.probe.height = static_cast<int>(height);
        video.probe.fps = reader.bounded(object, QStringLiteral("fps"), where, 0.0, true);
        video.probe.frameCount = reader.integer(object, QStringLiteral("frame_count"), where, false);
        if (video.probe.frameCount < 0)
            reader.fail(QStringLiteral("%1: 'frame_count' = %2 must be at least 0")
                            .arg(where)
                            .arg(video.probe.frameCount));
        video.probe.durationSeconds =
            reader.bounded(object, QStringLiteral("duration_seconds"), where, 0.0, false, false);
        const auto split =
            splitFromName(object.value(QStringLiteral("split")).toString(QStringLiteral("unassigned")));
        if (!split)
            reader.fail(QStringLiteral("%1: unknown split '%2'")
                            .arg(where, object.value(QStringLiteral("split")).toString()));
        video.split = split.value_or(Split::Unassigned);
        for (const QJsonValue& label : reader.array(object, QStringLiteral("labels"), where))
            video.videoLabels << label.toString();
        int index = 0;
        QSet<QString> segmentIds;
        const QJsonArray segments = reader.array(object, QStringLiteral("segments"), where);
        video.segments.reserve(static_cast<size_t>(segments.size()));
        segmentIds.reserve(segments.size());
        for (const QJsonValue& segmentValue : segments) {
            const QString segmentWhere = QStringLiteral("%1, segment %2").arg(where).arg(index++);
            Segment segment = segmentFromJson(reader, segmentValue.toObject(), segmentWhere);
            if (!data.labels.contains(segment.label))
                reader.fail(QStringLiteral("%1: unknown label '%2'").arg(segmentWhere, segment.label));
            if (segmentIds.contains(segment.id))
                reader.fail(QStringLiteral("%1: duplicate segment id '%2'").arg(segmentWhere, segment.id));
            if (video.probe.frameCount > 0 && segment.endFrame > video.probe.frameCount)
                reader.fail(QStringLiteral("%1: frames %2-%3 lie beyond the video's %4 frames")
                                .arg(segmentWhere)
                                .arg(segment.startFrame)
                                .arg(segment.endFrame)
                                .arg(video.probe.frameCount));
            segmentIds.insert(segment.id);
            video.segments.push_back(std::move(segment));
        }
        data.videos.push_back(std::move(video));
    }
    if (reader.failed())
        return reader.error();
    return data;
}

Status ProjectFile::save(const ProjectData& data, const QString& projectPath) {
    return writeFileAtomically(projectPath, serialize(data, projectPath));
}

Result<ProjectData> ProjectFile::load(const QString& projectPath, const QStringList& searchDirs) {
    auto bytes = readWholeFile(projectPath, QStringLiteral("project file"));
    if (!bytes)
        return bytes.error();
    auto data = parse(*bytes, projectPath);
    if (!data)
        return data.error();
    QStringList dirs{QFileInfo(projectPath).absolutePath()};
    dirs << searchDirs;
    locateVideos(*data, dirs);
    return data;
}

QStringList ProjectFile::locateVideos(ProjectData& data, const QStringList& searchDirs) {
    QStringList relinked;
    std::multimap<qint64, QString> candidatesBySize;
    bool indexed = false;
    for (VideoEntry& video : data.videos) {
        video.missing = !QFileInfo::exists(video.path);
        if (!video.missing || video.contentHash.isEmpty())
            continue;
        if (!indexed) {
            int seen = 0;
            for (const QString& dir : searchDirs) {
                QDirIterator it(dir, QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
                while (it.hasNext() && seen < kMaxFilesSearched) {
                    it.next();
                    ++seen;
                    candidatesBySize.emplace(it.fileInfo().size(), it.filePath());
                }
            }
            indexed = true;
        }
        auto [begin, end] = candidatesBySize.equal_range(video.sizeBytes);
        for (auto it = begin; it != end; ++it) {
            auto hash = sampledContentHash(it->second);
            if (hash && *hash == video.contentHash) {
                video.path = QFileInfo(it->second).absoluteFilePath();
                video.missing = false;
                relinked << video.id;
                break;
            }
        }
    }
    return relinked;
}

} // namespace saccade
