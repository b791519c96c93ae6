import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <ConfigProvider locale={zhCN} theme={{ token: { fontSize: 14, colorPrimary: '#1f5fbf' } }}>
    <AntApp>
      <App />
    </AntApp>
  </ConfigProvider>,
);
