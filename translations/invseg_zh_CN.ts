<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>QObject</name>
        <message>
            <source>%1 is not a labelme file</source>
            <translation>%1 不是 labelme 文件</translation>
        </message>
        <message>
            <source>%1: missing or bad imageWidth / imageHeight</source>
            <translation>%1：imageWidth / imageHeight 缺失或无效</translation>
        </message>
        <message>
            <source>%1 was not written by InvSeg Studio and was left as it is</source>
            <translation>%1 不是由 InvSeg Studio 写入的，已保持原样</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::AboutDialog</name>
        <message>
            <source>About InvSeg Studio</source>
            <translation>关于 InvSeg Studio</translation>
        </message>
        <message>
            <source>&lt;h3&gt;InvSeg Studio %1&lt;/h3&gt;&lt;p&gt;Semantic segmentation by test-time prompt inversion on Stable Diffusion.&lt;/p&gt;&lt;p&gt;%2&lt;br&gt;Qt %3&lt;br&gt;Devices: %4&lt;/p&gt;&lt;p&gt;Model: %5&lt;br&gt;Running on: %6&lt;/p&gt;</source>
            <translation>&lt;h3&gt;InvSeg Studio %1&lt;/h3&gt;&lt;p&gt;基于 Stable Diffusion 测试时提示反演的语义分割。&lt;/p&gt;&lt;p&gt;%2&lt;br&gt;Qt %3&lt;br&gt;设备：%4&lt;/p&gt;&lt;p&gt;模型：%5&lt;br&gt;运行于：%6&lt;/p&gt;</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::AttentionInspectorDialog</name>
        <message>
            <source>Attention Inspector</source>
            <translation>注意力检查器</translation>
        </message>
        <message>
            <source>Inspect</source>
            <translation>检查</translation>
        </message>
        <message>
            <source>Timestep:</source>
            <translation>时间步：</translation>
        </message>
        <message>
            <source>Level:</source>
            <translation>层级：</translation>
        </message>
        <message>
            <source>Colour map:</source>
            <translation>色图：</translation>
        </message>
        <message>
            <source>Weighted (as the run)</source>
            <translation>加权（与运行相同）</translation>
        </message>
        <message>
            <source>Level %1</source>
            <translation>层级 %1</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::BatchRunner</name>
        <message>
            <source>Segmenting all images…</source>
            <translation>正在分割所有图像…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Segmenting %1 (%2 of %3)…</source>
            <translation>正在分割 %1（第 %2 个，共 %3 个）…</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ClassPanel</name>
        <message>
            <source>Presets…</source>
            <translation>预设…</translation>
        </message>
        <message>
            <source>Add a class</source>
            <translation>添加类别</translation>
        </message>
        <message>
            <source>Remove the selected class</source>
            <translation>删除所选类别</translation>
        </message>
        <message>
            <source>Move up</source>
            <translation>上移</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>颜色</translation>
        </message>
        <message>
            <source>Choose the colour of the selected class</source>
            <translation>选择所选类别的颜色</translation>
        </message>
        <message>
            <source>Import…</source>
            <translation>导入…</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>class %1</source>
            <translation>类别 %1</translation>
        </message>
        <message>
            <source>Background is always present and always label 0</source>
            <translation>背景始终存在，且标签始终为 0</translation>
        </message>
        <message>
            <source>Add class</source>
            <translation>添加类别</translation>
        </message>
        <message>
            <source>Class name:</source>
            <translation>类别名称：</translation>
        </message>
        <message>
            <source>Class colour</source>
            <translation>类别颜色</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>Class preset</source>
            <translation>类别预设</translation>
        </message>
        <message>
            <source>Import class list</source>
            <translation>导入类别列表</translation>
        </message>
        <message>
            <source>Class lists (*.txt);;All files (*)</source>
            <translation>类别列表 (*.txt);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Export class list</source>
            <translation>导出类别列表</translation>
        </message>
        <message>
            <source>Class lists (*.txt)</source>
            <translation>类别列表 (*.txt)</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>Untick to hide this class on the canvas</source>
            <translation>取消勾选以在画布上隐藏此类别</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ImageCanvas</name>
        <message>
            <source>Open an image (Ctrl+O) or drop files here</source>
            <translation>打开图像（Ctrl+O）或将文件拖放到此处</translation>
        </message>
        <message>
            <source>Fill</source>
            <translation>填充</translation>
        </message>
        <message>
            <source>Erase</source>
            <translation>擦除</translation>
        </message>
        <message>
            <source>Brush stroke</source>
            <translation>画笔笔划</translation>
        </message>
        <message>
            <source>Polygon</source>
            <translation>多边形</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::LossChart</name>
        <message>
            <source>Total</source>
            <translation>总计</translation>
        </message>
        <message>
            <source>CSC</source>
            <translation>CSC</translation>
        </message>
        <message>
            <source>Entropy</source>
            <translation>熵</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>步</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>损失</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MainWindow</name>
        <message>
            <source>No model</source>
            <translation>无模型</translation>
        </message>
        <message>
            <source>No model found. The bundled model (resources/models/toy) is missing: choose a Stable Diffusion model with File ▸ Choose Model Folder… or Choose Model File…</source>
            <translation>未找到模型。内置模型（resources/models/toy）缺失：请通过 文件 ▸ 选择模型文件夹… 或 选择模型文件… 选择一个 Stable Diffusion 模型</translation>
        </message>
        <message>
            <source>No model loaded</source>
            <translation>未加载模型</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Classes</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Live views</source>
            <translation>实时视图</translation>
        </message>
        <message>
            <source>Losses</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Open Images…</source>
            <translation>打开图像(&amp;O)…</translation>
        </message>
        <message>
            <source>Ctrl+O</source>
            <translation>Ctrl+O</translation>
        </message>
        <message>
            <source>Open &amp;Folder…</source>
            <translation>打开文件夹(&amp;F)…</translation>
        </message>
        <message>
            <source>Ctrl+U</source>
            <translation>Ctrl+U</translation>
        </message>
        <message>
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <source>Choose Model &amp;Folder…</source>
            <translation>选择模型文件夹(&amp;F)…</translation>
        </message>
        <message>
            <source>Choose Model F&amp;ile…</source>
            <translation>选择模型文件(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>导出(&amp;E)…</translation>
        </message>
        <message>
            <source>Ctrl+S</source>
            <translation>Ctrl+S</translation>
        </message>
        <message>
            <source>Export &amp;All Labelled Images…</source>
            <translation>导出所有已标注图像(&amp;A)…</translation>
        </message>
        <message>
            <source>Export all into</source>
            <translation>全部导出到</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <source>Ctrl+Z</source>
            <translation>Ctrl+Z</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <source>Ctrl+Shift+Z</source>
            <translation>Ctrl+Shift+Z</translation>
        </message>
        <message>
            <source>Ctrl+Y</source>
            <translation>Ctrl+Y</translation>
        </message>
        <message>
            <source>&amp;View / Pan</source>
            <translation>查看 / 平移(&amp;V)</translation>
        </message>
        <message>
            <source>V</source>
            <translation>V</translation>
        </message>
        <message>
            <source>&amp;Brush</source>
            <translation>画笔(&amp;B)</translation>
        </message>
        <message>
            <source>B</source>
            <translation>B</translation>
        </message>
        <message>
            <source>&amp;Eraser</source>
            <translation>橡皮擦(&amp;E)</translation>
        </message>
        <message>
            <source>E</source>
            <translation>E</translation>
        </message>
        <message>
            <source>&amp;Fill</source>
            <translation>填充(&amp;F)</translation>
        </message>
        <message>
            <source>F</source>
            <translation>F</translation>
        </message>
        <message>
            <source>Clear Labels</source>
            <translation>清除标签</translation>
        </message>
        <message>
            <source>Clear labels</source>
            <translation>清除标签</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Zoom &amp;In</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <source>Ctrl+=</source>
            <translation>Ctrl+=</translation>
        </message>
        <message>
            <source>Zoom &amp;Out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <source>Ctrl+-</source>
            <translation>Ctrl+-</translation>
        </message>
        <message>
            <source>&amp;Fit to Window</source>
            <translation>适应窗口(&amp;F)</translation>
        </message>
        <message>
            <source>Ctrl+F</source>
            <translation>Ctrl+F</translation>
        </message>
        <message>
            <source>&amp;Actual Size</source>
            <translation>实际大小(&amp;A)</translation>
        </message>
        <message>
            <source>Ctrl+0</source>
            <translation>Ctrl+0</translation>
        </message>
        <message>
            <source>Show &amp;Mask</source>
            <translation>显示掩码(&amp;M)</translation>
        </message>
        <message>
            <source>Ctrl+M</source>
            <translation>Ctrl+M</translation>
        </message>
        <message>
            <source>&amp;Next Image</source>
            <translation>下一张图像(&amp;N)</translation>
        </message>
        <message>
            <source>D</source>
            <translation>D</translation>
        </message>
        <message>
            <source>&amp;Previous Image</source>
            <translation>上一张图像(&amp;P)</translation>
        </message>
        <message>
            <source>A</source>
            <translation>A</translation>
        </message>
        <message>
            <source>&amp;Run</source>
            <translation>运行(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Segment Image</source>
            <translation>分割图像(&amp;S)</translation>
        </message>
        <message>
            <source>F5</source>
            <translation>F5</translation>
        </message>
        <message>
            <source>S&amp;top</source>
            <translation>停止(&amp;T)</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>Segment &amp;All Images</source>
            <translation>分割所有图像(&amp;A)</translation>
        </message>
        <message>
            <source>Ctrl+Shift+R</source>
            <translation>Ctrl+Shift+R</translation>
        </message>
        <message>
            <source>Attention &amp;Inspector…</source>
            <translation>注意力检查器(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Settings</source>
            <translation>设置(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About InvSeg Studio</source>
            <translation>关于 InvSeg Studio(&amp;A)</translation>
        </message>
        <message>
            <source>Main</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <source>Brush:</source>
            <translation>画笔：</translation>
        </message>
        <message>
            <source>Mask opacity:</source>
            <translation>掩码不透明度：</translation>
        </message>
        <message>
            <source>No new images found</source>
            <translation>未找到新图像</translation>
        </message>
        <message>
            <source>ignore</source>
            <translation>忽略</translation>
        </message>
        <message>
            <source>label %1</source>
            <translation>标签 %1</translation>
        </message>
        <message>
            <source>%1, %2 — %3</source>
            <translation>%1, %2 — %3</translation>
        </message>
        <message>
            <source>%1 — InvSeg Studio</source>
            <translation>%1 — InvSeg Studio</translation>
        </message>
        <message>
            <source>InvSeg Studio</source>
            <translation>InvSeg Studio</translation>
        </message>
        <message>
            <source>Loading %1…</source>
            <translation>正在加载 %1…</translation>
        </message>
        <message>
            <source>%1 (%2, %3, %4 px)</source>
            <translation>%1（%2，%3，%4 像素）</translation>
        </message>
        <message>
            <source>Model loaded: %1</source>
            <translation>模型已加载：%1</translation>
        </message>
        <message>
            <source>Could not load the model %1: %2</source>
            <translation>无法加载模型 %1：%2</translation>
        </message>
        <message>
            <source>Choose a diffusers model folder</source>
            <translation>选择 diffusers 模型文件夹</translation>
        </message>
        <message>
            <source>Choose a Stable Diffusion checkpoint</source>
            <translation>选择 Stable Diffusion 检查点</translation>
        </message>
        <message>
            <source>Checkpoints (*.safetensors *.ckpt *.pt *.bin);;All files (*)</source>
            <translation>检查点 (*.safetensors *.ckpt *.pt *.bin);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Open an image first.</source>
            <translation>请先打开一张图像。</translation>
        </message>
        <message>
            <source>The model is still loading.</source>
            <translation>模型仍在加载中。</translation>
        </message>
        <message>
            <source>No model is loaded: choose one in the File menu.</source>
            <translation>未加载模型：请在“文件”菜单中选择一个。</translation>
        </message>
        <message>
            <source>Add at least one class.</source>
            <translation>请至少添加一个类别。</translation>
        </message>
        <message>
            <source>A run is in progress.</source>
            <translation>正在运行中。</translation>
        </message>
        <message>
            <source>Segmentation</source>
            <translation>分割</translation>
        </message>
        <message>
            <source>Segmentation failed: %1</source>
            <translation>分割失败：%1</translation>
        </message>
        <message>
            <source>Stopped.</source>
            <translation>已停止。</translation>
        </message>
        <message>
            <source>Run stopped</source>
            <translation>运行已停止</translation>
        </message>
        <message>
            <source>The current image has no labels to export.</source>
            <translation>当前图像没有可导出的标签。</translation>
        </message>
        <message>
            <source>Exported %1 to %2</source>
            <translation>已将 %1 导出到 %2</translation>
        </message>
        <message>
            <source>No image has labels to export.</source>
            <translation>没有图像包含可导出的标签。</translation>
        </message>
        <message>
            <source>Export into folder</source>
            <translation>导出到文件夹</translation>
        </message>
        <message>
            <source>Images (%1);;All files (*)</source>
            <translation>图像 (%1);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Open images</source>
            <translation>打开图像</translation>
        </message>
        <message>
            <source>Open a folder of images</source>
            <translation>打开图像文件夹</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>The language changes when InvSeg Studio is restarted.</source>
            <translation>重新启动 InvSeg Studio 后语言才会更改。</translation>
        </message>
        <message>
            <source>Open an image, load a model and add a class first.</source>
            <translation>请先打开图像、加载模型并添加类别。</translation>
        </message>
        <message>
            <source>Classes from %1</source>
            <translation>类别来自 %1</translation>
        </message>
        <message>
            <source>Remove class</source>
            <translation>删除类别</translation>
        </message>
        <message>
            <source>Pixels are labelled "%1". Removing the class makes them background. Remove it?</source>
            <translation>有像素被标记为“%1”。删除该类别会使它们变为背景。要删除吗？</translation>
        </message>
        <message>
            <source>Segmenting %1 on %2 (%3)…</source>
            <translation>正在 %2（%3）上分割 %1…</translation>
        </message>
        <message>
            <source>Segmented %1 in %2 s on %3 (%4)</source>
            <translation>已在 %3（%4）上分割 %1，用时 %2 秒</translation>
        </message>
        <message>
            <source>, peak GPU memory %1 MiB</source>
            <translation>，GPU 显存峰值 %1 MiB</translation>
        </message>
        <message>
            <source>unlabelled</source>
            <translation>未标注</translation>
        </message>
        <message>
            <source>segmented</source>
            <translation>已分割</translation>
        </message>
        <message>
            <source>edited</source>
            <translation>已编辑</translation>
        </message>
        <message>
            <source>saved</source>
            <translation>已保存</translation>
        </message>
        <message>
            <source>Could not read the saved labels of %1: %2</source>
            <translation>无法读取 %1 已保存的标签：%2</translation>
        </message>
        <message>
            <source>%1 does not have the size of %2: not used</source>
            <translation>%1 与 %2 尺寸不同：未使用</translation>
        </message>
        <message>
            <source>Labels read from %1</source>
            <translation>已从 %1 读取标签</translation>
        </message>
        <message>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
        <message>
            <source>Save labels</source>
            <translation>保存标签</translation>
        </message>
        <message>
            <source>The labels of %1 could not be saved: %2
They are kept; nothing was lost.</source>
            <translation>无法保存 %1 的标签：%2
标签已保留，没有丢失任何内容。</translation>
        </message>
        <message>
            <source>Unsaved labels</source>
            <translation>未保存的标签</translation>
        </message>
        <message>
            <source>The labels of %1 have changes that are not saved.</source>
            <translation>%1 的标签有未保存的更改。</translation>
        </message>
        <message>
            <source>The labels of %1 could not be saved: %2</source>
            <translation>无法保存 %1 的标签：%2</translation>
        </message>
        <message>
            <source>The current image has no labels to save.</source>
            <translation>当前图像没有可保存的标签。</translation>
        </message>
        <message>
            <source>Could not save the labels of %1: %2</source>
            <translation>无法保存 %1 的标签：%2</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <source>Saved %1 (%2)</source>
            <translation>已保存 %1（%2）</translation>
        </message>
        <message>
            <source>Segment All keeps %1 hand-edited image(s) as they are</source>
            <translation>“全部分割”保持 %1 张手动编辑的图像不变</translation>
        </message>
        <message>
            <source>&amp;Save Labels</source>
            <translation>保存标签(&amp;S)</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Polygon</source>
            <translation>多边形(&amp;P)</translation>
        </message>
        <message>
            <source>P</source>
            <translation>P</translation>
        </message>
        <message>
            <source>Polygon: click the corners, Enter or double-click fills with the class, Esc cancels</source>
            <translation>多边形：单击各顶点，回车或双击以该类别填充，Esc 取消</translation>
        </message>
        <message>
            <source>S&amp;maller Brush</source>
            <translation>减小画笔(&amp;M)</translation>
        </message>
        <message>
            <source>[</source>
            <translation>[</translation>
        </message>
        <message>
            <source>&amp;Larger Brush</source>
            <translation>增大画笔(&amp;L)</translation>
        </message>
        <message>
            <source>]</source>
            <translation>]</translation>
        </message>
        <message>
            <source>Save Labels &amp;Automatically</source>
            <translation>自动保存标签(&amp;A)</translation>
        </message>
        <message>
            <source>Save an image's labels when moving to another image or quitting (else ask)</source>
            <translation>切换到其他图像或退出时保存图像的标签（否则询问）</translation>
        </message>
        <message>
            <source>&amp;Keyboard Shortcuts…</source>
            <translation>键盘快捷键(&amp;K)…</translation>
        </message>
        <message>
            <source>F1</source>
            <translation>F1</translation>
        </message>
        <message>
            <source>Brush size in image pixels ([ and ], or the mouse wheel while painting)</source>
            <translation>画笔大小（图像像素；[ 和 ]，或绘制时滚动鼠标滚轮）</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MapGallery</name>
        <message>
            <source>Colour map:</source>
            <translation>色图：</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>之前</translation>
        </message>
        <message>
            <source>Now</source>
            <translation>现在</translation>
        </message>
        <message>
            <source>Anchors</source>
            <translation>锚点</translation>
        </message>
        <message>
            <source>before</source>
            <translation>之前</translation>
        </message>
        <message>
            <source>now</source>
            <translation>现在</translation>
        </message>
        <message>
            <source>anchors</source>
            <translation>锚点</translation>
        </message>
        <message>
            <source>Label map</source>
            <translation>标签图</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::MapTile</name>
        <message>
            <source>Click to enlarge</source>
            <translation>点击放大</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::RunPanel</name>
        <message>
            <source>Optimisation steps K</source>
            <translation>优化步数 K</translation>
        </message>
        <message>
            <source>Adam learning rate</source>
            <translation>Adam 学习率</translation>
        </message>
        <message>
            <source>Diffusion timestep t of the noised latent</source>
            <translation>加噪潜变量的扩散时间步 t</translation>
        </message>
        <message>
            <source>1 = identity only, 2 = identity and horizontal flip</source>
            <translation>1 = 仅原图，2 = 原图和水平翻转</translation>
        </message>
        <message>
            <source>Weight λ of the entropy loss</source>
            <translation>熵损失的权重 λ</translation>
        </message>
        <message>
            <source>Baseline only (no inversion)</source>
            <translation>仅基线（不反演）</translation>
        </message>
        <message>
            <source>Steps</source>
            <translation>步数</translation>
        </message>
        <message>
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <source>Timestep</source>
            <translation>时间步</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>视图数</translation>
        </message>
        <message>
            <source>λ (entropy)</source>
            <translation>λ（熵）</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>精度</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Segment the current image (F5)</source>
            <translation>分割当前图像（F5）</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>停止</translation>
        </message>
        <message>
            <source>Step %1 / %2 · %3 ms/step · ETA %4 s</source>
            <translation>第 %1 / %2 步 · %3 毫秒/步 · 剩余 %4 秒</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::SegmentationWorker</name>
        <message>
            <source>Cannot read or write a file: %1</source>
            <translation>无法读取或写入文件：%1</translation>
        </message>
        <message>
            <source>A file is damaged or not what it claims to be: %1</source>
            <translation>文件已损坏或与其声称的格式不符：%1</translation>
        </message>
        <message>
            <source>The checkpoint does not fit this kind of model: %1</source>
            <translation>该检查点与此类模型不匹配：%1</translation>
        </message>
        <message>
            <source>Invalid input: %1</source>
            <translation>输入无效：%1</translation>
        </message>
        <message>
            <source>Not supported by this build: %1</source>
            <translation>此版本不支持：%1</translation>
        </message>
        <message>
            <source>unknown error while loading %1</source>
            <translation>加载 %1 时发生未知错误</translation>
        </message>
        <message>
            <source>No model is loaded.</source>
            <translation>未加载模型。</translation>
        </message>
        <message>
            <source>The image is empty.</source>
            <translation>图像为空。</translation>
        </message>
        <message>
            <source>unknown error while segmenting</source>
            <translation>分割时发生未知错误</translation>
        </message>
        <message>
            <source>cpu</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Runs on the CPU: this build has no CUDA (make run CUDA=1 builds the GPU version).</source>
            <translation>在 CPU 上运行：此版本不含 CUDA（make run CUDA=1 可构建 GPU 版本）。</translation>
        </message>
        <message>
            <source>Runs on the CPU: no NVIDIA driver was found.</source>
            <translation>在 CPU 上运行：未找到 NVIDIA 驱动程序。</translation>
        </message>
        <message>
            <source>Runs on the CPU: the NVIDIA driver found no GPU to use.</source>
            <translation>在 CPU 上运行：NVIDIA 驱动程序未找到可用的 GPU。</translation>
        </message>
        <message>
            <source>Runs on the CPU: the NVIDIA driver supports CUDA %1, older than the CUDA %2 this build needs. Update the driver to use the GPU.</source>
            <translation>在 CPU 上运行：NVIDIA 驱动程序支持 CUDA %1，低于此版本所需的 CUDA %2。请更新驱动程序以使用 GPU。</translation>
        </message>
        <message>
            <source>Runs on the CPU: CUDA could not be started.</source>
            <translation>在 CPU 上运行：无法启动 CUDA。</translation>
        </message>
        <message>
            <source>Out of memory: %1</source>
            <translation>内存不足：%1</translation>
        </message>
    </context>
    <context>
        <name>invseg::ui::ShortcutsDialog</name>
        <message>
            <source>Keyboard Shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Pan</source>
            <translation>平移</translation>
        </message>
        <message>
            <source>Space + drag, middle drag, or the wheel</source>
            <translation>空格 + 拖动、中键拖动或滚轮</translation>
        </message>
        <message>
            <source>Zoom at the cursor</source>
            <translation>在光标处缩放</translation>
        </message>
        <message>
            <source>Ctrl + wheel</source>
            <translation>Ctrl + 滚轮</translation>
        </message>
        <message>
            <source>Brush size while painting</source>
            <translation>绘制时的画笔大小</translation>
        </message>
        <message>
            <source>Wheel, [ and ]</source>
            <translation>滚轮、[ 和 ]</translation>
        </message>
        <message>
            <source>Polygon: add a corner / fill / cancel</source>
            <translation>多边形：添加顶点 / 填充 / 取消</translation>
        </message>
        <message>
            <source>Click / Enter or double-click / Esc</source>
            <translation>单击 / 回车或双击 / Esc</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>命令</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <translation>快捷键</translation>
        </message>
    </context>
</TS>
