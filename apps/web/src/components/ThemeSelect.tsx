import { NativeSelect, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { COLOR_SCHEMES } from './color-scheme.js';

/** The header's "Theme" picker: light, dark or automatic; Mantine's manager stores the choice. */
export function ThemeSelect() {
  const { t } = useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <NativeSelect
      label={t('charts.theme.label')}
      size="xs"
      value={colorScheme}
      data={COLOR_SCHEMES.map((s) => ({ value: s, label: t(`charts.theme.${s}`) }))}
      onChange={(e) => setColorScheme(e.currentTarget.value as MantineColorScheme)}
      className="vireo-theme"
    />
  );
}
