#pragma once

#include "core/annotation/projectdata.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

namespace saccade {

/// Reads and writes project files: UTF-8 JSON with `"saccade_project_version": N`. Files of older
/// versions are migrated on load (one step per version); newer versions are refused. Video paths are
/// stored relative to the project file, with each video's content hash and size so a moved video can be
/// found again. Stateless; any thread.
class ProjectFile {
public:
    /// The schema this build writes. Version 1 stored labels as bare names and segments with inclusive
    /// `start`/`end` frames and a `proposed` flag; version 2 has label objects (colour, key), half-open
    /// `start_frame`/`end_frame`, review states and sources.
    static constexpr int kCurrentVersion = 2;

    /// The JSON text of `data`, paths relative to the folder of `projectPath`.
    static QByteArray serialize(const ProjectData& data, const QString& projectPath);
    /// Parses (and migrates) project JSON; paths become absolute against the folder of `projectPath`.
    /// Does not look at the video files.
    static Result<ProjectData> parse(const QByteArray& json, const QString& projectPath);
    /// Brings a project object of any older version to kCurrentVersion.
    static Result<QJsonObject> migrate(QJsonObject root, const QString& projectPath);

    /// Writes atomically (temporary file renamed into place).
    static Status save(const ProjectData& data, const QString& projectPath);
    /// Reads, parses and locates the videos (see locateVideos()) in the project's folder and `searchDirs`.
    static Result<ProjectData> load(const QString& projectPath, const QStringList& searchDirs = {});

    /// For every video whose file is gone, searches `searchDirs` (recursively, bounded) for a file of the
    /// same size and content hash and relinks it; videos not found are marked `missing` for the user to
    /// relink. Returns the ids of the videos that were relinked.
    static QStringList locateVideos(ProjectData& data, const QStringList& searchDirs);
};

} // namespace saccade
