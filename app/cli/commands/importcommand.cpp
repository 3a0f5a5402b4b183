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

// Files under `dir` by file name, by file stem (the id most formats use) and by the id a project would
// make of that stem (spaces and commas replaced); not all of them are videos.
struct FoundFiles {
    QMultiHash<QString, QString> byName;
    QMultiHash<QString, QString> byStem;
    QMultiHash<QString, QString> byCleanedStem;
};

FoundFiles filesUnder(const QString& dir) {
    FoundFiles found;
    if (dir.isEmpty())
        return found;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        found.byName.insert(info.fileName(), info.absoluteFilePath());
        found.byStem.insert(info.completeBaseName(), info.absoluteFilePath());
        found.byCleanedStem.insert(ProjectData().uniqueVideoId(info.completeBaseName()),
                                   info.absoluteFilePath());
    }
    return found;
}

Status addMissingVideos(ProjectDocument& document, const ImportedAnnotations& imported,
                        const QString& videosDir, const CancellationToken& cancel) {
    const FoundFiles found = filesUnder(videosDir);
    for (const ImportedVideo& video : imported.videos) {
        if (document.video(video.id))
            continue;
        // The original file name first: an id cleaned from it ("demo_action" for "demo action.mp4")
        // names no file.
        QStringList candidates = found.byName.values(video.fileName);
        candidates.sort();
        QStringList byStem = found.byStem.values(video.id);
        byStem.sort();
        candidates << byStem;
        // Without the file name (no manifest), the id may still be the cleaned form of it.
        QStringList byCleanedStem = found.byCleanedStem.values(video.id);
        byCleanedStem.sort();
        candidates << byCleanedStem;
        if (QFileInfo(video.pathHint).isFile())
            candidates.prepend(video.pathHint);
        candidates.removeDuplicates();
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
                QStringLiteral("video '%1' is not in the project and no file named %2%1.* was found%3")
                    .arg(video.id,
                         video.fileName.isEmpty() ? QString()
                                                  : QStringLiteral("'%1' or ").arg(video.fileName),
                         videosDir.isEmpty() ? QStringLiteral(" (pass --videos DIR)")
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
        "under --videos by their original file name (from the file or a saccade-export.json beside it), "
        "then by id (file stem); with that manifest, segments get back their state, source and "
        "confidence. Nothing is saved unless every segment is valid."));
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
    // An export's manifest beside the file knows the original file names, states and sources.
    const Result<std::optional<ExportManifest>> manifest = ExportManifest::readBeside(file);
    if (!manifest)
        return reportError(manifest.error());
    ImportOptions importOptions;
    if (*manifest) {
        (*manifest)->annotate(*imported);
        importOptions.manifest = &**manifest;
    }

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
    Result<ImportSummary> summary = videos ? AnnotationImport::apply(*imported, document, importOptions)
                                           : Result<ImportSummary>(videos.error());
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
    printLine(QStringLiteral("imported %1 segments of %2 videos into %3%4%5")
                  .arg(summary->segments)
                  .arg(summary->videos)
                  .arg(projectPath)
                  .arg(summary->restored > 0 ? QStringLiteral(" (%1 with state and source from %2)")
                                                   .arg(summary->restored)
                                                   .arg((*manifest)->path)
                                             : QString())
                  .arg(summary->addedLabels.isEmpty()
                           ? QString()
                           : QStringLiteral(" (new labels: %1)")
                                 .arg(summary->addedLabels.join(QStringLiteral(", ")))));
    return kExitOk;
}

} // namespace saccade::cli
