#include "core/export/kineticsimporter.h"

#include "core/util/filereading.h"
#include "core/export/csvreader.h"

namespace saccade {

Result<ImportedAnnotations> KineticsImporter::read(const QString& path) {
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    return parse(QString::fromUtf8(*bytes), path);
}

Result<ImportedAnnotations> KineticsImporter::parse(const QString& text, const QString& path) {
    auto records = CsvReader::parse(text, path);
    if (!records)
        return records.error();
    if (records->empty())
        return Error::invalidData(path, QStringLiteral("the file is empty"));
    const QStringList header = records->front().fields;
    const int labelColumn = static_cast<int>(header.indexOf(QStringLiteral("label")));
    const int idColumn = static_cast<int>(header.indexOf(QStringLiteral("youtube_id")));
    const int startColumn = static_cast<int>(header.indexOf(QStringLiteral("time_start")));
    const int endColumn = static_cast<int>(header.indexOf(QStringLiteral("time_end")));
    const int splitColumn = static_cast<int>(header.indexOf(QStringLiteral("split")));
    if (labelColumn < 0 || idColumn < 0 || startColumn < 0 || endColumn < 0)
        return Error::invalidData(path,
                                  QStringLiteral("line 1: the header must name label, youtube_id, time_start "
                                                 "and time_end"));
    ImportedAnnotations result;
    result.sourcePath = path;
    for (size_t r = 1; r < records->size(); ++r) {
        const CsvRecord& record = (*records)[r];
        if (record.fields.size() != header.size())
            return Error::invalidData(path, QStringLiteral("line %1: %2 fields, the header has %3")
                                                .arg(record.line)
                                                .arg(record.fields.size())
                                                .arg(header.size()));
        ImportedSegment segment;
        segment.location = QStringLiteral("line %1").arg(record.line);
        segment.label = record.fields[labelColumn].trimmed();
        bool startOk = false;
        bool endOk = false;
        segment.startSeconds = record.fields[startColumn].toDouble(&startOk);
        segment.endSeconds = record.fields[endColumn].toDouble(&endOk);
        if (!startOk || !endOk)
            return Error::invalidData(
                path, QStringLiteral("line %1: time_start and time_end must be numbers").arg(record.line));
        const QString videoId = record.fields[idColumn].trimmed();
        if (videoId.isEmpty() || segment.label.isEmpty())
            return Error::invalidData(path,
                                      QStringLiteral("line %1: empty label or video id").arg(record.line));
        ImportedVideo& video = result.videoFor(videoId);
        if (splitColumn >= 0) {
            const QString splitText = record.fields[splitColumn].trimmed();
            const auto split = splitText == QLatin1String("validate") ? std::optional<Split>(Split::Val)
                                                                      : splitFromName(splitText);
            if (!split && !splitText.isEmpty())
                return Error::invalidData(
                    path, QStringLiteral("line %1: unknown split '%2'").arg(record.line).arg(splitText));
            if (split)
                video.split = split;
        }
        result.noteLabel(segment.label);
        video.segments.push_back(segment);
    }
    return result;
}

} // namespace saccade
