#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QDockWidget;
class QMenu;

namespace saccade {

class AnalysisController;
class FinetuneWorker;
class MainWindow;
class ModelPanel;
class ProgressArea;
struct FinetuneChoice;

/// The Model dock and what it drives: opening a checkpoint or folder (through the window's analysis),
/// showing what is loaded, and fine-tuning the model on the saved project with progress and Cancel in
/// the status bar, then offering to load the result. Lives on the GUI thread.
class ModelTools : public QObject {
    Q_OBJECT
public:
    /// Adds the Model dock to `window`.
    explicit ModelTools(MainWindow* window);
    ~ModelTools() override;

    /// File menu entries: Open Model (file or folder).
    void addFileActions(QMenu* file);
    void setAnalysis(AnalysisController* analysis);

    /// Loads `source` as the window's model and shows it as loading.
    void loadModel(const QString& source);
    /// Starts fine-tuning the loaded model on the project (saving it first if needed); false when it
    /// cannot start.
    bool startFinetune(const FinetuneChoice& choice);
    /// Where a fine-tuned model of the project at `projectPath` goes: a new folder beside it.
    static QString finetuneDirectory(const QString& projectPath);

    ModelPanel* panel() const { return m_panel; }
    QDockWidget* dock() const { return m_dock; }
    FinetuneWorker* finetuneWorker() const { return m_finetune; }

Q_SIGNALS:
    /// A fine-tuning run ended (after the panel shows it).
    void finetuneDone(bool succeeded);

private:
    void chooseFile();
    void chooseFolder();
    void updateFinetuneNote();

    MainWindow* m_window = nullptr;
    QPointer<AnalysisController> m_analysis;
    ModelPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
    ProgressArea* m_progress = nullptr;
    FinetuneWorker* m_finetune = nullptr;
    /// The source being loaded from the panel, until it loads or fails.
    QString m_loading;
};

} // namespace saccade
