#!/usr/bin/env python3
"""Fills translations/invseg_{de,zh_CN}.ts from the tables below (run after lupdate).

Usage: /usr/lib/qt6/bin/lupdate -no-obsolete -locations none ui app/gui -ts translations/invseg_de.ts \
           translations/invseg_zh_CN.ts && python3 translations/fill_translations.py
Exits non-zero listing every source text that has no translation, so a new tr() string cannot go unnoticed.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

# source: (German, Simplified Chinese). Shortcuts keep their key names (Qt shows them localised).
T = {
    'About InvSeg Studio': ('Über InvSeg Studio', '关于 InvSeg Studio'),
    '<h3>InvSeg Studio %1</h3><p>Semantic segmentation by test-time prompt inversion on Stable Diffusion.</p><p>%2<br>Qt %3<br>Devices: %4</p><p>Model: %5<br>Running on: %6</p>':
        ('<h3>InvSeg Studio %1</h3><p>Semantische Segmentierung durch Prompt-Inversion zur Testzeit mit Stable Diffusion.</p><p>%2<br>Qt %3<br>Geräte: %4</p><p>Modell: %5<br>Läuft auf: %6</p>',
         '<h3>InvSeg Studio %1</h3><p>基于 Stable Diffusion 测试时提示反演的语义分割。</p><p>%2<br>Qt %3<br>设备：%4</p><p>模型：%5<br>运行于：%6</p>'),
    'Attention Inspector': ('Attention-Inspektor', '注意力检查器'),
    'Inspect': ('Untersuchen', '检查'),
    'Timestep:': ('Zeitschritt:', '时间步：'),
    'Level:': ('Ebene:', '层级：'),
    'Colour map:': ('Farbskala:', '色图：'),
    'Weighted (as the run)': ('Gewichtet (wie im Lauf)', '加权（与运行相同）'),
    'Level %1': ('Ebene %1', '层级 %1'),
    'Presets…': ('Vorlagen…', '预设…'),
    'Add a class': ('Klasse hinzufügen', '添加类别'),
    'Remove the selected class': ('Ausgewählte Klasse entfernen', '删除所选类别'),
    'Move up': ('Nach oben', '上移'),
    'Move down': ('Nach unten', '下移'),
    'Colour': ('Farbe', '颜色'),
    'Choose the colour of the selected class': ('Farbe der ausgewählten Klasse wählen', '选择所选类别的颜色'),
    'Import…': ('Importieren…', '导入…'),
    'Export…': ('Exportieren…', '导出…'),
    'class %1': ('Klasse %1', '类别 %1'),
    'Background is always present and always label 0': ('Hintergrund ist immer vorhanden und immer Label 0', '背景始终存在，且标签始终为 0'),
    'Add class': ('Klasse hinzufügen', '添加类别'),
    'Class name:': ('Klassenname:', '类别名称：'),
    'Class colour': ('Klassenfarbe', '类别颜色'),
    'Cannot read %1: %2': ('%1 kann nicht gelesen werden: %2', '无法读取 %1：%2'),
    'Class preset': ('Klassenvorlage', '类别预设'),
    'Import class list': ('Klassenliste importieren', '导入类别列表'),
    'Class lists (*.txt);;All files (*)': ('Klassenlisten (*.txt);;Alle Dateien (*)', '类别列表 (*.txt);;所有文件 (*)'),
    'Export class list': ('Klassenliste exportieren', '导出类别列表'),
    'Class lists (*.txt)': ('Klassenlisten (*.txt)', '类别列表 (*.txt)'),
    'Cannot write %1: %2': ('%1 kann nicht geschrieben werden: %2', '无法写入 %1：%2'),
    'Open an image (Ctrl+O) or drop files here': ('Bild öffnen (Strg+O) oder Dateien hierher ziehen', '打开图像（Ctrl+O）或将文件拖放到此处'),
    'Fill': ('Füllen', '填充'),
    'Erase': ('Radieren', '擦除'),
    'Brush stroke': ('Pinselstrich', '画笔笔划'),
    'Total': ('Gesamt', '总计'),
    'CSC': ('CSC', 'CSC'),
    'Entropy': ('Entropie', '熵'),
    'Step': ('Schritt', '步'),
    'Loss': ('Verlust', '损失'),
    'No model': ('Kein Modell', '无模型'),
    'No model found. The bundled model (resources/models/toy) is missing: choose a Stable Diffusion model with File ▸ Choose Model Folder… or Choose Model File…':
        ('Kein Modell gefunden. Das mitgelieferte Modell (resources/models/toy) fehlt: Wählen Sie ein Stable-Diffusion-Modell über Datei ▸ Modellordner wählen… oder Modelldatei wählen…',
         '未找到模型。内置模型（resources/models/toy）缺失：请通过 文件 ▸ 选择模型文件夹… 或 选择模型文件… 选择一个 Stable Diffusion 模型'),
    'No model loaded': ('Kein Modell geladen', '未加载模型'),
    'Images': ('Bilder', '图像'),
    'Classes': ('Klassen', '类别'),
    'Run': ('Ausführen', '运行'),
    'Live views': ('Live-Ansichten', '实时视图'),
    'Losses': ('Verluste', '损失'),
    '&File': ('&Datei', '文件(&F)'),
    '&Open Images…': ('Bilder ö&ffnen…', '打开图像(&O)…'),
    'Ctrl+O': ('Ctrl+O', 'Ctrl+O'),
    'Open &Folder…': ('&Ordner öffnen…', '打开文件夹(&F)…'),
    'Ctrl+U': ('Ctrl+U', 'Ctrl+U'),
    'Open &Recent': ('&Zuletzt geöffnet', '最近打开(&R)'),
    'Choose Model &Folder…': ('Modell&ordner wählen…', '选择模型文件夹(&F)…'),
    'Choose Model F&ile…': ('Modell&datei wählen…', '选择模型文件(&I)…'),
    '&Export…': ('&Exportieren…', '导出(&E)…'),
    'Ctrl+S': ('Ctrl+S', 'Ctrl+S'),
    'Export &All Labelled Images…': ('&Alle beschrifteten Bilder exportieren…', '导出所有已标注图像(&A)…'),
    'Export all into': ('Alle exportieren nach', '全部导出到'),
    'Export': ('Export', '导出'),
    '&Quit': ('&Beenden', '退出(&Q)'),
    'Ctrl+Q': ('Ctrl+Q', 'Ctrl+Q'),
    '&Edit': ('&Bearbeiten', '编辑(&E)'),
    '&Undo': ('&Rückgängig', '撤销(&U)'),
    'Ctrl+Z': ('Ctrl+Z', 'Ctrl+Z'),
    '&Redo': ('&Wiederholen', '重做(&R)'),
    'Ctrl+Shift+Z': ('Ctrl+Shift+Z', 'Ctrl+Shift+Z'),
    'Ctrl+Y': ('Ctrl+Y', 'Ctrl+Y'),
    '&View / Pan': ('&Ansicht / Verschieben', '查看 / 平移(&V)'),
    'V': ('V', 'V'),
    '&Brush': ('&Pinsel', '画笔(&B)'),
    'B': ('B', 'B'),
    '&Eraser': ('&Radiergummi', '橡皮擦(&E)'),
    'E': ('E', 'E'),
    '&Fill': ('&Füllen', '填充(&F)'),
    'F': ('F', 'F'),
    'Clear Labels': ('Labels löschen', '清除标签'),
    'Clear labels': ('Labels löschen', '清除标签'),
    '&View': ('&Ansicht', '视图(&V)'),
    'Zoom &In': ('Ver&größern', '放大(&I)'),
    'Ctrl+=': ('Ctrl+=', 'Ctrl+='),
    'Zoom &Out': ('Ver&kleinern', '缩小(&O)'),
    'Ctrl+-': ('Ctrl+-', 'Ctrl+-'),
    '&Fit to Window': ('An &Fenster anpassen', '适应窗口(&F)'),
    'Ctrl+F': ('Ctrl+F', 'Ctrl+F'),
    '&Actual Size': ('&Originalgröße', '实际大小(&A)'),
    'Ctrl+0': ('Ctrl+0', 'Ctrl+0'),
    'Show &Mask': ('&Maske anzeigen', '显示掩码(&M)'),
    'Ctrl+M': ('Ctrl+M', 'Ctrl+M'),
    '&Next Image': ('&Nächstes Bild', '下一张图像(&N)'),
    'D': ('D', 'D'),
    '&Previous Image': ('&Vorheriges Bild', '上一张图像(&P)'),
    'A': ('A', 'A'),
    '&Run': ('&Ausführen', '运行(&R)'),
    '&Segment Image': ('Bild &segmentieren', '分割图像(&S)'),
    'F5': ('F5', 'F5'),
    'S&top': ('&Stopp', '停止(&T)'),
    'Esc': ('Esc', 'Esc'),
    'Segment &All Images': ('&Alle Bilder segmentieren', '分割所有图像(&A)'),
    'Ctrl+Shift+R': ('Ctrl+Shift+R', 'Ctrl+Shift+R'),
    'Attention &Inspector…': ('Attention-&Inspektor…', '注意力检查器(&I)…'),
    '&Settings': ('&Einstellungen', '设置(&S)'),
    '&Language': ('&Sprache', '语言(&L)'),
    'System': ('System', '系统'),
    '&Help': ('&Hilfe', '帮助(&H)'),
    '&About InvSeg Studio': ('Ü&ber InvSeg Studio', '关于 InvSeg Studio(&A)'),
    'Main': ('Haupt', '主工具栏'),
    'Brush:': ('Pinsel:', '画笔：'),
    'Brush size in image pixels (mouse wheel while painting)': ('Pinselgröße in Bildpixeln (Mausrad beim Malen)', '画笔大小（图像像素；绘制时可用鼠标滚轮调整）'),
    'Mask opacity:': ('Maskendeckkraft:', '掩码不透明度：'),
    'Classes from %1': ('Klassen aus %1', '类别来自 %1'),
    'No new images found': ('Keine neuen Bilder gefunden', '未找到新图像'),
    'ignore': ('ignoriert', '忽略'),
    'label %1': ('Label %1', '标签 %1'),
    '%1, %2 — %3': ('%1, %2 — %3', '%1, %2 — %3'),
    '%1 — InvSeg Studio': ('%1 — InvSeg Studio', '%1 — InvSeg Studio'),
    'InvSeg Studio': ('InvSeg Studio', 'InvSeg Studio'),
    'Loading %1…': ('%1 wird geladen…', '正在加载 %1…'),
    '%1 (%2, %3, %4 px)': ('%1 (%2, %3, %4 px)', '%1（%2，%3，%4 像素）'),
    'Model loaded: %1': ('Modell geladen: %1', '模型已加载：%1'),
    'Could not load the model %1: %2': ('Das Modell %1 konnte nicht geladen werden: %2', '无法加载模型 %1：%2'),
    'Choose a diffusers model folder': ('Diffusers-Modellordner wählen', '选择 diffusers 模型文件夹'),
    'Choose a Stable Diffusion checkpoint': ('Stable-Diffusion-Checkpoint wählen', '选择 Stable Diffusion 检查点'),
    'Checkpoints (*.safetensors *.ckpt *.pt *.bin);;All files (*)': ('Checkpoints (*.safetensors *.ckpt *.pt *.bin);;Alle Dateien (*)', '检查点 (*.safetensors *.ckpt *.pt *.bin);;所有文件 (*)'),
    'Open an image first.': ('Öffnen Sie zuerst ein Bild.', '请先打开一张图像。'),
    'The model is still loading.': ('Das Modell wird noch geladen.', '模型仍在加载中。'),
    'No model is loaded: choose one in the File menu.': ('Kein Modell geladen: Wählen Sie eines im Menü Datei.', '未加载模型：请在“文件”菜单中选择一个。'),
    'Add at least one class.': ('Fügen Sie mindestens eine Klasse hinzu.', '请至少添加一个类别。'),
    'A run is in progress.': ('Ein Lauf ist im Gange.', '正在运行中。'),
    'Segmenting %1 on %2 (%3)…': ('%1 wird auf %2 (%3) segmentiert…', '正在 %2（%3）上分割 %1…'),
    'Segmented %1 in %2 s on %3 (%4)': ('%1 in %2 s auf %3 (%4) segmentiert', '已在 %3（%4）上分割 %1，用时 %2 秒'),
    ', peak GPU memory %1 MiB': (', GPU-Speicherspitze %1 MiB', '，GPU 显存峰值 %1 MiB'),
    'cpu': ('CPU', 'CPU'),
    'Runs on the CPU: this build has no CUDA (make run CUDA=1 builds the GPU version).':
        ('Läuft auf der CPU: Diese Version hat kein CUDA (make run CUDA=1 baut die GPU-Version).',
         '在 CPU 上运行：此版本不含 CUDA（make run CUDA=1 可构建 GPU 版本）。'),
    'Runs on the CPU: no NVIDIA driver was found.':
        ('Läuft auf der CPU: Es wurde kein NVIDIA-Treiber gefunden.', '在 CPU 上运行：未找到 NVIDIA 驱动程序。'),
    'Runs on the CPU: the NVIDIA driver found no GPU to use.':
        ('Läuft auf der CPU: Der NVIDIA-Treiber hat keine nutzbare GPU gefunden.', '在 CPU 上运行：NVIDIA 驱动程序未找到可用的 GPU。'),
    'Runs on the CPU: the NVIDIA driver supports CUDA %1, older than the CUDA %2 this build needs. Update the driver to use the GPU.':
        ('Läuft auf der CPU: Der NVIDIA-Treiber unterstützt CUDA %1, älter als das CUDA %2, das diese Version braucht. Aktualisieren Sie den Treiber, um die GPU zu nutzen.',
         '在 CPU 上运行：NVIDIA 驱动程序支持 CUDA %1，低于此版本所需的 CUDA %2。请更新驱动程序以使用 GPU。'),
    'Runs on the CPU: CUDA could not be started.':
        ('Läuft auf der CPU: CUDA konnte nicht gestartet werden.', '在 CPU 上运行：无法启动 CUDA。'),
    'Segmentation': ('Segmentierung', '分割'),
    'Segmented %1 in %2 s': ('%1 in %2 s segmentiert', '已分割 %1，用时 %2 秒'),
    'Segmentation failed: %1': ('Segmentierung fehlgeschlagen: %1', '分割失败：%1'),
    'Stopped.': ('Gestoppt.', '已停止。'),
    'Run stopped': ('Lauf gestoppt', '运行已停止'),
    'Segmenting all images…': ('Alle Bilder werden segmentiert…', '正在分割所有图像…'),
    'Cancel': ('Abbrechen', '取消'),
    'Segmenting %1 (%2 of %3)…': ('%1 wird segmentiert (%2 von %3)…', '正在分割 %1（第 %2 个，共 %3 个）…'),
    'The current image has no labels to export.': ('Das aktuelle Bild hat keine Labels zum Exportieren.', '当前图像没有可导出的标签。'),
    'Exported %1 to %2': ('%1 nach %2 exportiert', '已将 %1 导出到 %2'),
    'No image has labels to export.': ('Kein Bild hat Labels zum Exportieren.', '没有图像包含可导出的标签。'),
    'Export into folder': ('In Ordner exportieren', '导出到文件夹'),
    'Images (%1);;All files (*)': ('Bilder (%1);;Alle Dateien (*)', '图像 (%1);;所有文件 (*)'),
    'Open images': ('Bilder öffnen', '打开图像'),
    'Open a folder of images': ('Bilderordner öffnen', '打开图像文件夹'),
    'none': ('keines', '无'),
    'Open an image, load a model and add a class first.': ('Öffnen Sie zuerst ein Bild, laden Sie ein Modell und fügen Sie eine Klasse hinzu.', '请先打开图像、加载模型并添加类别。'),
    'Language': ('Sprache', '语言'),
    'The language changes when InvSeg Studio is restarted.': ('Die Sprache wird nach einem Neustart von InvSeg Studio geändert.', '重新启动 InvSeg Studio 后语言才会更改。'),
    'Before': ('Vorher', '之前'),
    'Now': ('Jetzt', '现在'),
    'Anchors': ('Anker', '锚点'),
    'before': ('vorher', '之前'),
    'now': ('jetzt', '现在'),
    'anchors': ('Anker', '锚点'),
    'Label map': ('Labelkarte', '标签图'),
    'Click to enlarge': ('Zum Vergrößern klicken', '点击放大'),
    'Optimisation steps K': ('Optimierungsschritte K', '优化步数 K'),
    'Adam learning rate': ('Adam-Lernrate', 'Adam 学习率'),
    'Diffusion timestep t of the noised latent': ('Diffusionszeitschritt t des verrauschten Latents', '加噪潜变量的扩散时间步 t'),
    '1 = identity only, 2 = identity and horizontal flip': ('1 = nur Original, 2 = Original und horizontal gespiegelt', '1 = 仅原图，2 = 原图和水平翻转'),
    'Weight λ of the entropy loss': ('Gewicht λ des Entropieverlusts', '熵损失的权重 λ'),
    'Baseline only (no inversion)': ('Nur Baseline (keine Inversion)', '仅基线（不反演）'),
    'Steps': ('Schritte', '步数'),
    'Learning rate': ('Lernrate', '学习率'),
    'Timestep': ('Zeitschritt', '时间步'),
    'Views': ('Ansichten', '视图数'),
    'λ (entropy)': ('λ (Entropie)', 'λ（熵）'),
    'Device': ('Gerät', '设备'),
    'Precision': ('Genauigkeit', '精度'),
    'Segment the current image (F5)': ('Aktuelles Bild segmentieren (F5)', '分割当前图像（F5）'),
    'Stop': ('Stopp', '停止'),
    'Step %1 / %2 · %3 ms/step · ETA %4 s': ('Schritt %1 / %2 · %3 ms/Schritt · Rest %4 s', '第 %1 / %2 步 · %3 毫秒/步 · 剩余 %4 秒'),
    'unknown error while loading %1': ('unbekannter Fehler beim Laden von %1', '加载 %1 时发生未知错误'),
    'No model is loaded.': ('Kein Modell geladen.', '未加载模型。'),
    'Cannot read or write a file: %1': ('Eine Datei kann nicht gelesen oder geschrieben werden: %1', '无法读取或写入文件：%1'),
    'A file is damaged or not what it claims to be: %1': ('Eine Datei ist beschädigt oder nicht, was sie zu sein vorgibt: %1', '文件已损坏或与其声称的格式不符：%1'),
    'The checkpoint does not fit this kind of model: %1': ('Der Checkpoint passt nicht zu dieser Modellart: %1', '该检查点与此类模型不匹配：%1'),
    'Invalid input: %1': ('Ungültige Eingabe: %1', '输入无效：%1'),
    'Not supported by this build: %1': ('Von diesem Build nicht unterstützt: %1', '此版本不支持：%1'),
    'Out of memory: %1': ('Zu wenig Speicher: %1', '内存不足：%1'),
    'The image is empty.': ('Das Bild ist leer.', '图像为空。'),
    'unknown error while segmenting': ('unbekannter Fehler beim Segmentieren', '分割时发生未知错误'),
    '%1 does not have the size of %2: not used': ('%1 hat nicht die Größe von %2: nicht verwendet', '%1 与 %2 尺寸不同：未使用'),
    '%1 is not a labelme file': ('%1 ist keine labelme-Datei', '%1 不是 labelme 文件'),
    '%1 was not written by InvSeg Studio and was left as it is':
        ('%1 wurde nicht von InvSeg Studio geschrieben und blieb unverändert', '%1 不是由 InvSeg Studio 写入的，已保持原样'),
    '%1 — %2': ('%1 — %2', '%1 — %2'),
    '%1: missing or bad imageWidth / imageHeight': ('%1: imageWidth / imageHeight fehlt oder ist ungültig', '%1：imageWidth / imageHeight 缺失或无效'),
    '&Keyboard Shortcuts…': ('&Tastenkürzel…', '键盘快捷键(&K)…'),
    '&Larger Brush': ('&Größerer Pinsel', '增大画笔(&L)'),
    '&Polygon': ('&Polygon', '多边形(&P)'),
    '&Save Labels': ('Labels &speichern', '保存标签(&S)'),
    'Brush size in image pixels ([ and ], or the mouse wheel while painting)':
        ('Pinselgröße in Bildpixeln ([ und ] oder das Mausrad beim Malen)', '画笔大小（图像像素；[ 和 ]，或绘制时滚动鼠标滚轮）'),
    'Brush size while painting': ('Pinselgröße beim Malen', '绘制时的画笔大小'),
    'Click / Enter or double-click / Esc': ('Klick / Eingabe oder Doppelklick / Esc', '单击 / 回车或双击 / Esc'),
    'Command': ('Befehl', '命令'),
    'Could not read the saved labels of %1: %2': ('Die gespeicherten Labels von %1 konnten nicht gelesen werden: %2', '无法读取 %1 已保存的标签：%2'),
    'Could not save the labels of %1: %2': ('Die Labels von %1 konnten nicht gespeichert werden: %2', '无法保存 %1 的标签：%2'),
    'Ctrl + wheel': ('Strg + Mausrad', 'Ctrl + 滚轮'),
    'Ctrl+E': ('Ctrl+E', 'Ctrl+E'),
    'F1': ('F1', 'F1'),
    'Keyboard Shortcuts': ('Tastenkürzel', '键盘快捷键'),
    'Labels read from %1': ('Labels aus %1 gelesen', '已从 %1 读取标签'),
    'P': ('P', 'P'),
    'Pan': ('Verschieben', '平移'),
    'Pixels are labelled "%1". Removing the class makes them background. Remove it?':
        ('Pixel sind als „%1“ gelabelt. Wird die Klasse entfernt, werden sie Hintergrund. Entfernen?', '有像素被标记为“%1”。删除该类别会使它们变为背景。要删除吗？'),
    'Polygon': ('Polygon', '多边形'),
    'Polygon: add a corner / fill / cancel': ('Polygon: Ecke hinzufügen / füllen / abbrechen', '多边形：添加顶点 / 填充 / 取消'),
    'Polygon: click the corners, Enter or double-click fills with the class, Esc cancels':
        ('Polygon: Ecken anklicken, Eingabe oder Doppelklick füllt mit der Klasse, Esc bricht ab', '多边形：单击各顶点，回车或双击以该类别填充，Esc 取消'),
    'Remove class': ('Klasse entfernen', '删除类别'),
    'S&maller Brush': ('&Kleinerer Pinsel', '减小画笔(&M)'),
    'Save Labels &Automatically': ('Labels &automatisch speichern', '自动保存标签(&A)'),
    "Save an image's labels when moving to another image or quitting (else ask)":
        ('Die Labels eines Bildes beim Wechsel zu einem anderen Bild oder beim Beenden speichern (sonst nachfragen)', '切换到其他图像或退出时保存图像的标签（否则询问）'),
    'Save labels': ('Labels speichern', '保存标签'),
    'Saved %1': ('%1 gespeichert', '已保存 %1'),
    'Saved %1 (%2)': ('%1 gespeichert (%2)', '已保存 %1（%2）'),
    'Segment All keeps %1 hand-edited image(s) as they are':
        ('„Alle segmentieren“ lässt %1 von Hand bearbeitete(s) Bild(er) unverändert', '“全部分割”保持 %1 张手动编辑的图像不变'),
    'Shortcut': ('Tastenkürzel', '快捷键'),
    'Space + drag, middle drag, or the wheel': ('Leertaste + Ziehen, Ziehen mit der mittleren Taste oder das Mausrad', '空格 + 拖动、中键拖动或滚轮'),
    'The current image has no labels to save.': ('Das aktuelle Bild hat keine Labels zum Speichern.', '当前图像没有可保存的标签。'),
    'The labels of %1 could not be saved: %2': ('Die Labels von %1 konnten nicht gespeichert werden: %2', '无法保存 %1 的标签：%2'),
    'The labels of %1 could not be saved: %2\nThey are kept; nothing was lost.':
        ('Die Labels von %1 konnten nicht gespeichert werden: %2\nSie bleiben erhalten; nichts ging verloren.', '无法保存 %1 的标签：%2\n标签已保留，没有丢失任何内容。'),
    'The labels of %1 have changes that are not saved.': ('Die Labels von %1 haben ungespeicherte Änderungen.', '%1 的标签有未保存的更改。'),
    'Unsaved labels': ('Ungespeicherte Labels', '未保存的标签'),
    'Untick to hide this class on the canvas': ('Abwählen, um diese Klasse auf der Zeichenfläche auszublenden', '取消勾选以在画布上隐藏此类别'),
    'Wheel, [ and ]': ('Mausrad, [ und ]', '滚轮、[ 和 ]'),
    'Zoom at the cursor': ('Am Cursor zoomen', '在光标处缩放'),
    '[': ('[', '['),
    ']': (']', ']'),
    'edited': ('bearbeitet', '已编辑'),
    'saved': ('gespeichert', '已保存'),
    'segmented': ('segmentiert', '已分割'),
    'unlabelled': ('ohne Labels', '未标注'),
}

LANGS = {'invseg_de.ts': ('de_DE', 0), 'invseg_zh_CN.ts': ('zh_CN', 1)}


def main():
    here = Path(__file__).resolve().parent
    missing = set()
    for name, (lang, col) in LANGS.items():
        path = here / name
        tree = ET.parse(path)
        root = tree.getroot()
        root.set('language', lang)
        root.set('sourcelanguage', 'en')
        for msg in root.iter('message'):
            src = msg.find('source').text or ''
            tr = msg.find('translation')
            if src not in T:
                missing.add(src)
                continue
            tr.text = T[src][col]
            tr.attrib.pop('type', None)
        ET.indent(tree, space='    ')
        with open(path, 'wb') as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding='utf-8', xml_declaration=False)
            f.write(b'\n')
    if missing:
        print('untranslated:', *sorted(missing), sep='\n  ', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
