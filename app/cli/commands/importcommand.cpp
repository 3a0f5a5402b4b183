#include "commands.h"

#include "core/annotation/projectstore.h"
#include "core/export/activitynetimporter.h"
#include "core/export/annotationimport.h"
#include "core/export/kineticsimporter.h"
#include "core/export/labelstudioimporter.h"

#include <QDirIterator>
#include <QFileInfo>

namespace saccade::cli {

namespace {

// Files under `dir` by file stem (the id every supported format uses); not all of them are videos.
QMultiHash<QString, QString> filesByStem(const QString& dir) {
    QMultiHash<QString, QString> byStem;
    if (dir.isEmpty())
        return byStem;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        byStem.insert(info.completeBaseName(), info.absoluteFilePath());
    }
    return byStem;
}

Status addMissingVideos(ProjectDocument& document, const ImportedAnnotations& imported,
                        const QString& videosDir, const CancellationToken& cancel) {
    const QMultiHash<QString, QString> found = filesByStem(videosDir);
    for (const ImportedVideo& video : imported.videos) {
        if (document.video(video.id))
            continue;
        QStringList candidates = found.values(video.id);
        candidates.sort();
        if (QFileInfo(video.pathHint).isFile())
            candidates.prepend(video.pathHint);
        // The first candidate that probes as a video wins (an export beside it shares the stem).
        Result<VideoEntry> entry = Error::notFound(imported.sourcePath, QString());
        for (const QString& candidate : candidates) {
            entry = probeVideoEntry(candidate, document.data(), cancel);
            if (entry || entry.error().category == ErrorCategory::Cancelled)
                break;
        }
        if (!entry && !candidates.isEmpty())
            return entry.error();
        if (!entry)
            return Error::notFound(
                imported.sourcePath,
                QStringLiteral("video '%1' is not in the project and no file named %1.* was found%2")
                    .arg(video.id, videosDir.isEmpty() ? QStringLiteral(" (pass --videos DIR)")
                                                       : QStringLiteral(" under ") + videosDir));
        entry->id = video.id;
        Status added = document.addVideo(std::move(*entry));
        if (!added)
            return added;
    }
    return {};
}

} // namespace

int runImport(CliContext& context) {
    const QString command = QStringLiteral("import");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Import annotations into a project (created if missing). Videos the project lacks are looked up "
        "by id (file stem) under --videos; nothing is saved unless every segment is valid."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The annotation file."));
    parser.addOption({QStringLiteral("format"), QStringLiteral("kinetics, activitynet or labelstudio."),
                      QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("project"), QStringLiteral("The project file to import into."),
                      QStringLiteral("OUT")});
    parser.addOption(
        {QStringLiteral("videos"), QStringLiteral("Folder holding the videos."), QStringLiteral("DIR")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(command, QStringLiteral("expected exactly one FILE"));
    if (!parser.isSet(QStringLiteral("format")) || !parser.isSet(QStringLiteral("project")))
        return reportUsage(command, QStringLiteral("--format and --project are required"));
    const QString file = parser.positionalArguments().constFirst();
    const QString format = parser.value(QStringLiteral("format"));
    Result<ImportedAnnotations> imported = Error::invalidArgument(QString());
    if (format == QLatin1String("kinetics"))
        imported = KineticsImporter::read(file);
    else if (format == QLatin1String("activitynet"))
        imported = ActivityNetImporter::read(file);
    else if (format == QLatin1String("labelstudio"))
        imported = LabelStudioImporter::read(file);
    else
        return reportUsage(
            command, QStringLiteral("unknown format '%1' (kinetics, activitynet, labelstudio)").arg(format));
    if (!imported)
        return reportError(imported.error());

    const QString projectPath = parser.value(QStringLiteral("project"));
    const bool created = !QFileInfo::exists(projectPath);
    auto store = created ? ProjectStore::create(
                               projectPath, ProjectData{QFileInfo(projectPath).completeBaseName(), {}, {}})
                         : ProjectStore::open(projectPath);
    if (!store)
        return reportError(store.error());
    ProjectDocument& document = *(*store)->document();
    Status videos =
        addMissingVideos(document, *imported, parser.value(QStringLiteral("videos")), context.cancel);
    Result<ImportSummary> summary =
        videos ? AnnotationImport::apply(*imported, document) : Result<ImportSummary>(videos.error());
    if (!summary) {
        // A project this command created holds nothing worth keeping.
        if (created) {
            store->reset();
            QFile::remove(projectPath);
        }
        return reportError(summary.error());
    }
    Status saved = (*store)->save();
    if (!saved)
        return reportError(saved.error());
    printLine(QStringLiteral("imported %1 segments of %2 videos into %3%4")
                  .arg(summary->segments)
                  .arg(summary->videos)
                  .arg(projectPath)
                  .arg(summary->addedLabels.isEmpty()
                           ? QString()
                           : QStringLiteral(" (new labels: %1)")
                                 .arg(summary->addedLabels.join(QStringLiteral(", ")))));
    return kExitOk;
}

} // namespace saccade::cli
