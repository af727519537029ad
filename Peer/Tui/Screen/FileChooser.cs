// The file browser for choosing what to send: Terminal.Gui's OpenDialog, one existing file.
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Opens in <c>startFolder</c> (the home folder by default); returns the chosen file's full path, or null when
/// cancelled. Call on the UI thread. <c>/send USER</c> without a path opens it (<see cref="SendCommand"/>).
/// </summary>
public static class FileChooser
{
    public static string? Choose(IApplication app, string title, string? startFolder = null)
    {
        using var dialog = new OpenDialog
        {
            Title = title,
            OpenMode = OpenMode.File,
            AllowsMultipleSelection = false,
            MustExist = true,
            Path = startFolder ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        };
        app.Run(dialog);
        return dialog.Canceled || dialog.FilePaths.Count == 0 ? null : dialog.FilePaths[0];
    }
}
