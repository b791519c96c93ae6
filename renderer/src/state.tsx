import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { StatusResponse } from '../../shared/ipc/contract';
import { call } from './api';

interface AppState {
  status: StatusResponse | null;
  refresh: () => Promise<StatusResponse>;
}

const Ctx = createContext<AppState>({
  status: null,
  refresh: async () => {
    throw new Error('no provider');
  },
});

export function StatusProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const refresh = useCallback(async () => {
    const s = await call('workspace.status', {});
    setStatus(s);
    return s;
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return <Ctx.Provider value={{ status, refresh }}>{children}</Ctx.Provider>;
}

export function useStatus(): AppState {
  return useContext(Ctx);
}
