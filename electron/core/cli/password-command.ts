import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';
import { envPassword, newPassword } from './password';

export const PASSWORD_USAGE =
  'canbao password --workspace W [--by 姓名]   （加密工作区或修改密码；新密码在终端输入两次，或由 CANBAO_NEW_PASSWORD 给出）';

/** Encrypts a plain workspace, or changes an encrypted one's password (the current one as it was opened with). */
export async function passwordCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, by: { type: 'string' } });
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const before = await engine.call('workspace.status', {});
    const password = await newPassword();
    // The engine asks for the current password again before changing it; the CLI gives the one it opened with.
    await engine.call('workspace.setPassword', { password, current: envPassword('CANBAO_PASSWORD') });
    out(
      before.encrypted
        ? '密码已修改。此前的备份仍用旧密码打开。'
        : '工作区已加密。请牢记密码：忘记密码将无法打开工作区，任何人（包括技术支持）都无法找回其中的数据。',
    );
    return 0;
  });
}
