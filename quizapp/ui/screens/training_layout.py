"""What the Training screen looks like: its CSS, the presets' titles and the runs' colours.

The titles are here, not read from ``core.engine.training.PRESETS``, so the screen's first frame
lists the presets without importing the trainer (NumPy); a test checks they name the same presets.
"""

PRESET_TITLES = {  # every preset of core.engine.training.PRESETS, in its order
    "dying-relu": "Dying ReLU: high learning rate",
    "deep-narrow": "Deep and narrow",
    "he-vs-xavier": "He vs Xavier",
    "born-dead": "Born dead",
    "bad-init": "Bad init: every bias −1",
}
RUN_COLOURS = ("#ff8f40", "#40b4ff", "#7ed957", "#e07bff", "#ffd54a", "#3fd9c0")
PLACEHOLDER = "Press r to train.\nEach run's decision boundary\nand dead units appear here."

TRAINING_CSS = """
#tr-bar {
    height: 1;
    margin: 0 1;
}
#tr-preset {
    width: 1fr;
    max-width: 40;
    margin-right: 1;
}
#tr-bar Button {
    margin-right: 1;
    min-width: 9;
}
#tr-body {
    height: 1fr;
}
#tr-loss {
    width: 2fr;
    min-width: 26;
    border: round $primary;
    border-title-color: $text-muted;
}
#tr-runs {
    width: 3fr;
}
#tr-loading {
    width: 1fr;
    height: 1fr;
    content-align: center middle;
    color: $text-muted;
}
#tr-placeholder {
    width: 1fr;
    height: 1fr;
    content-align: center middle;
    color: $text-muted;
    border: round $panel-lighten-1;
}
#tr-status {
    height: 1;
    margin: 0 1;
}
#tr-progress {
    width: auto;
}
#tr-progress Bar {
    width: 20;
}
#tr-rate {
    width: 1fr;
    text-wrap: nowrap;
    text-overflow: ellipsis;
}
#tr-story {
    height: auto;
    max-height: 3;
    margin: 0 1;
}
TrainingScreen.-folded #tr-controls {
    display: none;
}
TrainingScreen.-short TrainingControls .tc-title {
    display: none;
}
TrainingScreen.-short TrainingControls SelectionList {
    max-height: 4;
    margin-bottom: 0;
}
TrainingScreen.-short TrainingControls #tc-inits {
    max-height: 3;
}
"""
