#pragma once

#include "core/annotation/projectdocument.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QLockFile>
#include <QObject>
#include <QTimer>

#include <memory>

namespace saccade {

/// What an autosave sidecar offers when a project is opened.
struct RecoveryInfo {
    /// The sidecar exists and is newer than the project file (or the project file is gone).
    bool available = false;
    QString autosavePath;
    QDateTime autosaveModified;
    QDateTime projectModified;
};

/// How to open a project when recoveryInfo() says an autosave is available.
enum class RecoveryChoice {
    /// Open the project file and leave the sidecar for later.
    Keep = 1,
    /// Open the autosaved state; the document is unsaved until save().
    Recover,
    /// Open the project file and delete the sidecar.
    Discard,
};

/// An open project on disk: owns the document, holds the project's lock file (`<project>.lock`) so
/// no second process writes it, saves atomically, and autosaves to `<project>.autosave` a few seconds
/// after the last change. Lives on the thread that edits the document (timers fire there).
class ProjectStore : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultAutosaveDelayMs = 3000;

    ~ProjectStore() override;

    static QString autosavePath(const QString& projectPath);
    static QString lockPath(const QString& projectPath);
    /// Whether opening `projectPath` should offer recovery from its autosave sidecar.
    static RecoveryInfo recoveryInfo(const QString& projectPath);

    /// Creates a new project file holding `data` (refuses to replace an existing file) and locks it.
    static Result<std::unique_ptr<ProjectStore>> create(const QString& projectPath, ProjectData data);
    /// Locks and opens a project; moved videos are searched for in its folder and `searchDirs`.
    static Result<std::unique_ptr<ProjectStore>> open(const QString& projectPath,
                                                      RecoveryChoice recovery = RecoveryChoice::Keep,
                                                      const QStringList& searchDirs = {});

    /// Owned by the store.
    ProjectDocument* document() { return &m_document; }
    QString path() const { return m_path; }
    bool hasUnsavedChanges() const { return m_unsaved; }

    /// Writes the project file and removes the autosave sidecar.
    Status save();
    /// Writes the sidecar now (the debounce timer calls this).
    Status autosaveNow();
    /// Delay between the last change and the autosave; 0 disables autosave.
    void setAutosaveDelayMs(int delayMs);

Q_SIGNALS:
    void autosaved();
    void autosaveFailed(const saccade::Error& error);
    void unsavedChangesChanged(bool unsaved);

private:
    ProjectStore(const QString& projectPath, ProjectData data);
    Status lock();
    void markNewerThanProject(const QString& sidecarPath) const;
    void onModified();
    void setUnsaved(bool unsaved);

    QString m_path;
    QLockFile m_lock;
    ProjectDocument m_document;
    QTimer m_autosaveTimer;
    bool m_unsaved = false;
    bool m_wroteSidecar = false;
};

} // namespace saccade
